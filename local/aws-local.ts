import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';

/** Credentials and region the local servers accept; no AWS account is involved. */
export const LOCAL_AWS = {
  region: 'ap-southeast-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
};

export const localDynamoClient = (endpoint: string) => new DynamoDBClient({ ...LOCAL_AWS, endpoint });
export const localSqsClient = (endpoint: string) => new SQSClient({ ...LOCAL_AWS, endpoint });

/**
 * The environment under which handlers reach the local servers: the SDK reads its endpoints from
 * AWS_ENDPOINT_URL_*, so handler code is the same as in Lambda.
 */
export const localAwsEnv = (dynamoEndpoint: string, sqsEndpoint: string): Record<string, string> => ({
  AWS_REGION: LOCAL_AWS.region,
  AWS_ACCESS_KEY_ID: LOCAL_AWS.credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_AWS.credentials.secretAccessKey,
  AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
  AWS_ENDPOINT_URL_SQS: sqsEndpoint,
});
