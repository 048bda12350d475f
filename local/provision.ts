import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type Projection,
  ResourceNotFoundException,
  UpdateTableCommand,
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
import type { TableIndex } from '../shared/platform/table/keys.ts';
import { type QueueSpec, TABLE } from '../shared/platform/topology.ts';
import { QUEUES } from '../shared/topology.ts';
import { exactDocumentClient, markFreshTable } from './table-upgrade.ts';

const projectionOf = (index: TableIndex): Projection =>
  index.projection.type === 'ALL'
    ? { ProjectionType: 'ALL' }
    : { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection.attributes] };

const indexDeclaration = (index: TableIndex): GlobalSecondaryIndex => ({
  IndexName: index.name,
  KeySchema: [
    { AttributeName: index.partitionKey, KeyType: 'HASH' },
    { AttributeName: index.sortKey, KeyType: 'RANGE' },
  ],
  Projection: projectionOf(index),
});

/** Waits until the table and each of its indexes are ACTIVE. */
/** How long a local index build may take before start gives up and says which index is stuck. */
const INDEX_BUILD_LIMIT_MS = 5 * 60_000;

const untilIndexesActive = async (client: DynamoDBClient, tableName: string, index: string) => {
  const giveUpAt = Date.now() + INDEX_BUILD_LIMIT_MS;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const statuses = [
      `table ${Table?.TableStatus}`,
      ...(Table?.GlobalSecondaryIndexes ?? []).map((i) => `${i.IndexName} ${i.IndexStatus}`),
    ];
    if (statuses.every((status) => status.endsWith(' ACTIVE'))) return;
    // Unbounded, a stuck build hung start (and a test's set-up) silently; now it fails and says where.
    if (Date.now() > giveUpAt)
      throw new Error(
        `Bảng ${tableName}: chỉ mục ${index} chưa dựng xong sau ${INDEX_BUILD_LIMIT_MS / 60_000} phút (${statuses.join(', ')}). Khởi động lại DynamoDB Local rồi chạy lại; dữ liệu không bị thay đổi.`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
};

/**
 * Creates the table from the topology's declaration, unless it exists (data survives restarts). A table
 * it creates is marked as in the jurisdiction keys' format (./table-upgrade.ts): nothing to upgrade. An
 * existing table gains the indexes the declaration added since it was created, one at a time, as
 * DynamoDB builds them (the requests' listings, gsi4–gsi6); moving items into them is
 * ./table-upgrade.ts's.
 */
export const ensureTable = async (
  client: DynamoDBClient,
  tableName: string,
): Promise<'created' | 'existed'> => {
  let existing: readonly string[] | undefined;
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    existing = (Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName ?? '');
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  if (existing !== undefined) {
    for (const index of TABLE.indexes.filter((i) => !existing.includes(i.name))) {
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          AttributeDefinitions: [
            { AttributeName: index.partitionKey, AttributeType: 'S' },
            { AttributeName: index.sortKey, AttributeType: 'S' },
          ],
          GlobalSecondaryIndexUpdates: [{ Create: indexDeclaration(index) }],
        }),
      );
      // Nothing writes its keys before it is built: a write while it backfills can fail.
      await untilIndexesActive(client, tableName, index.name);
    }
    return 'existed';
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
      GlobalSecondaryIndexes: TABLE.indexes.map(indexDeclaration),
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
