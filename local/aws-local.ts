import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { type SdkTimeouts, sdkRequestHandler, TOOL_SDK_TIMEOUTS } from '../shared/platform/aws/sdk-http.ts';

/** Credentials and region the local servers accept; no AWS account is involved. */
export const LOCAL_AWS = {
  region: 'ap-southeast-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
};

/** A local tool's client configuration: the local credentials, its endpoint, the tools' SDK timeouts (sdk-http.ts). */
const local = (endpoint: string, timeouts: SdkTimeouts) => ({
  ...LOCAL_AWS,
  endpoint,
  requestHandler: sdkRequestHandler(timeouts),
});

export const localDynamoClient = (endpoint: string, timeouts = TOOL_SDK_TIMEOUTS) =>
  new DynamoDBClient(local(endpoint, timeouts));
export const localSqsClient = (endpoint: string, timeouts = TOOL_SDK_TIMEOUTS) =>
  new SQSClient(local(endpoint, timeouts));
/** The local S3-compatible server, addressed by path (its host name carries no bucket). */
export const localS3Client = (endpoint: string, timeouts = TOOL_SDK_TIMEOUTS) =>
  new S3Client({ ...local(endpoint, timeouts), forcePathStyle: true });

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
