import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { sdkRequestHandler } from './sdk-http.ts';
import { traced } from './tracer.ts';

/**
 * Extension point, empty in Lambda: every hook is given each shared SDK client once, when it is
 * created, and may add middleware to it. The local runtime registers one to inject SDK faults and
 * crashes in reliability runs (local/sdk-faults.ts); production code never adds one.
 */
export type SdkClientHook = (client: DynamoDBClient | SQSClient, service: 'dynamodb' | 'sqs') => void;
export const sdkClientHooks: SdkClientHook[] = [];

/**
 * SDK clients, created once per module and reused across invocations, each call traced by X-Ray in
 * Lambda (tracer.ts) and bounded by the SDK timeouts (sdk-http.ts). Endpoints come from the SDK's own
 * AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_SQS variables, which the local runtime sets.
 */
let documentClient: DynamoDBDocumentClient | undefined;
let sqsClient: SQSClient | undefined;

export const createDocumentClient = (
  client = new DynamoDBClient({ requestHandler: sdkRequestHandler() }),
): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });

export const sharedDocumentClient = (): DynamoDBDocumentClient => {
  if (!documentClient) {
    const client = traced(new DynamoDBClient({ requestHandler: sdkRequestHandler() }));
    for (const hook of sdkClientHooks) hook(client, 'dynamodb');
    documentClient = createDocumentClient(client);
  }
  return documentClient;
};

export const sharedSqsClient = (): SQSClient => {
  if (!sqsClient) {
    // The queue URL is a parameter, not the endpoint: the endpoint is the region's (or AWS_ENDPOINT_URL_SQS locally).
    sqsClient = traced(new SQSClient({ useQueueUrlAsEndpoint: false, requestHandler: sdkRequestHandler() }));
    for (const hook of sdkClientHooks) hook(sqsClient, 'sqs');
  }
  return sqsClient;
};
