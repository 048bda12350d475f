import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type RunningServer, startDynamoDbLocal, startSqsEmulator } from '../local/servers.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    sqsEndpoint: string;
    /** Where the run's first seeded runtime records its seeding for the others (local/seed-cache.ts). */
    seedCacheDir: string;
  }
}

/** The pair every project of this run uses, and how many projects' setups still hold it. */
interface SharedServers {
  servers: Promise<RunningServer[]>;
  seedCacheDir: string;
  holders: number;
}

/**
 * Kept on `globalThis` because Vitest imports this file once per project that names it (integration
 * and browser), each time as a new module, but in the same process: the second project finds the
 * pair the first one started instead of starting another Java and emulator.
 */
const SHARED = Symbol.for('giai-ngan.test-servers');
const registry = globalThis as { [SHARED]?: SharedServers };

/**
 * One DynamoDB Local (in memory) and one SQS emulator for the whole run, on free ports, shared by the
 * integration and browser projects; each test file works in its own table and queues. Both are
 * stopped when the last project that uses them is done.
 */
export default async function setup(project: TestProject) {
  const shared = registry[SHARED] ?? {
    servers: Promise.all([startDynamoDbLocal({}), startSqsEmulator({})]),
    seedCacheDir: mkdtempSync(join(tmpdir(), 'giai-ngan-seed-cache-')),
    holders: 0,
  };
  registry[SHARED] = shared;
  shared.holders += 1;
  const [dynamo, sqs] = await shared.servers;
  if (!dynamo || !sqs) throw new Error('the test servers did not start');
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('sqsEndpoint', sqs.endpoint);
  project.provide('seedCacheDir', shared.seedCacheDir);
  return async () => {
    shared.holders -= 1;
    if (shared.holders > 0) return;
    delete registry[SHARED];
    await Promise.all([dynamo.stop(), sqs.stop()]);
    rmSync(shared.seedCacheDir, { recursive: true, force: true });
  };
}
