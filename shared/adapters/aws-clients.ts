import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * SDK clients, created once per module and reused across invocations. Endpoints come from the SDK's
 * own AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_SQS variables, which the local runtime sets.
 */
let documentClient: DynamoDBDocumentClient | undefined;
let sqsClient: SQSClient | undefined;

export const createDocumentClient = (client = new DynamoDBClient({})): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });

export const sharedDocumentClient = (): DynamoDBDocumentClient => {
  documentClient ??= createDocumentClient();
  return documentClient;
};

export const sharedSqsClient = (): SQSClient => {
  // The queue URL is a parameter, not the endpoint: the endpoint is the region's (or AWS_ENDPOINT_URL_SQS locally).
  sqsClient ??= new SQSClient({ useQueueUrlAsEndpoint: false });
  return sqsClient;
};
