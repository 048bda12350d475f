import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { sdkRequestHandler } from '../shared/platform/aws/sdk-http.ts';

/** Credentials and region the local servers accept; no AWS account is involved. */
export const LOCAL_AWS = {
  region: 'ap-southeast-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
};

/** A local client's configuration: the local credentials, its endpoint, the SDK timeouts (sdk-http.ts). */
const local = (endpoint: string) => ({ ...LOCAL_AWS, endpoint, requestHandler: sdkRequestHandler() });

export const localDynamoClient = (endpoint: string) => new DynamoDBClient(local(endpoint));
export const localSqsClient = (endpoint: string) => new SQSClient(local(endpoint));
/** The local S3-compatible server, addressed by path (its host name carries no bucket). */
export const localS3Client = (endpoint: string) => new S3Client({ ...local(endpoint), forcePathStyle: true });

/**
 * The environment under which handlers reach the local servers: the SDK reads its endpoints from
 * AWS_ENDPOINT_URL_*, so handler code is the same as in Lambda.
 */
export const localAwsEnv = (
  dynamoEndpoint: string,
  sqsEndpoint: string,
  s3Endpoint?: string,
): Record<string, string> => ({
  AWS_REGION: LOCAL_AWS.region,
  AWS_ACCESS_KEY_ID: LOCAL_AWS.credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_AWS.credentials.secretAccessKey,
  AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
  AWS_ENDPOINT_URL_SQS: sqsEndpoint,
  ...(s3Endpoint ? { AWS_ENDPOINT_URL_S3: s3Endpoint } : {}),
});
