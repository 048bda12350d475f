import type { TestProject } from 'vitest/node';
import { type RunningServer, startDynamoDbLocal, startSqsEmulator } from '../local/servers.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    sqsEndpoint: string;
  }
}

/**
 * One DynamoDB Local (in memory) and one SQS emulator for the whole run, on free ports; each test
 * file works in its own table and queues. Both are stopped afterwards.
 */
export default async function setup(project: TestProject) {
  const servers: RunningServer[] = [];
  const [dynamo, sqs] = await Promise.all([startDynamoDbLocal({}), startSqsEmulator({})]);
  servers.push(dynamo, sqs);
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('sqsEndpoint', sqs.endpoint);
  return async () => {
    await Promise.all(servers.map((s) => s.stop()));
  };
}
