import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  CreateBucketCommand,
  HeadBucketCommand,
  PutBucketCorsCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { documentsCorsConfiguration } from '../shared/documents/topology.ts';
import { type QueueSpec, TABLE } from '../shared/platform/topology.ts';
import { QUEUES } from '../shared/topology.ts';
import { exactDocumentClient, markFreshTable } from './table-upgrade.ts';

/**
 * Creates the table from the topology's declaration, unless it exists (data survives restarts). A table
 * it creates is marked as in the jurisdiction keys' format (./table-upgrade.ts): nothing to upgrade.
 */
export const ensureTable = async (
  client: DynamoDBClient,
  tableName: string,
): Promise<'created' | 'existed'> => {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return 'existed';
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  const keyNames = [
    TABLE.partitionKey,
    TABLE.sortKey,
    ...TABLE.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: keyNames.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: TABLE.indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    }),
  );
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: TABLE.timeToLiveAttribute, Enabled: true },
    }),
  );
  await markFreshTable(exactDocumentClient(client), tableName);
  return 'created';
};

export interface ProvisionedQueue {
  spec: QueueSpec;
  url: string;
  arn: string;
  deadLetterUrl: string;
  deadLetterArn: string;
}

const createQueue = async (client: SQSClient, name: string, attributes: Record<string, string>) => {
  const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  if (!QueueUrl) throw new Error(`queue ${name} was not created`);
  const { Attributes } = await client.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  return { url: QueueUrl, arn: Attributes?.QueueArn ?? '' };
};

/** Creates every queue of the topology with its dead-letter queue and redrive policy. */
export const ensureQueues = async (
  client: SQSClient,
  prefix: string,
  overrides: { visibilityTimeoutSeconds?: number; maxReceiveCount?: number } = {},
): Promise<ProvisionedQueue[]> => {
  const out: ProvisionedQueue[] = [];
  for (const spec of QUEUES) {
    const dlq = await createQueue(client, `${prefix}-${spec.id}-dlq`, {
      MessageRetentionPeriod: String(spec.deadLetterRetentionDays * 86_400),
    });
    const queue = await createQueue(client, `${prefix}-${spec.id}`, {
      VisibilityTimeout: String(overrides.visibilityTimeoutSeconds ?? spec.visibilityTimeoutSeconds),
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: dlq.arn,
        maxReceiveCount: String(overrides.maxReceiveCount ?? spec.maxReceiveCount),
      }),
    });
    out.push({ spec, url: queue.url, arn: queue.arn, deadLetterUrl: dlq.url, deadLetterArn: dlq.arn });
  }
  return out;
};

/** Creates the documents bucket unless it exists (its objects survive restarts, as files of the server). */
export const ensureBucket = async (client: S3Client, bucket: string): Promise<'created' | 'existed'> => {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
    return 'existed';
  } catch {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    return 'created';
  }
};

/**
 * Lets the dashboard served at `origins` upload and download documents straight to the bucket through
 * presigned URLs: the bucket's CORS rule (shared/documents/topology.ts), set on every start, since the
 * gateway's port may change.
 */
export const allowDashboardOrigins = async (
  client: S3Client,
  bucket: string,
  origins: readonly string[],
): Promise<void> => {
  await client.send(
    new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: documentsCorsConfiguration(origins) }),
  );
};
