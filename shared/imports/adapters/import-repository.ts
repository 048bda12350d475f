import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionalPut, isConditionFailure, stripKeys } from '../../platform/aws/dynamo-items.ts';
import { importKeys } from '../../platform/table/keys.ts';
import type { ImportFailure, ImportProgress, ImportRecord, ImportStore } from '../app/ports.ts';

/** An update that may find its condition false: true when written. */
const conditionalUpdate = async (db: DynamoDBDocumentClient, input: UpdateCommand['input']) => {
  try {
    return await db.send(new UpdateCommand(input));
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
};

/**
 * DynamoDB storage of import records, in the system's one table (keys: `importKeys`). Every write is
 * conditional on what it moves from, so two appliers of one import (a redelivered message beside its
 * continuation, a crashed call's retry) never move its progress back or reopen an applied import.
 */
export class DynamoImportRepository implements ImportStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  createImport(record: ImportRecord): Promise<boolean> {
    return conditionalPut(this.db, {
      TableName: this.tableName,
      Item: { ...importKeys.item(record.jurisdiction, record), ...record },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  }

  async getImport(jurisdiction: string, id: string): Promise<ImportRecord | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: importKeys.key(jurisdiction, id),
        ConsistentRead: true,
      }),
    );
    return out.Item ? stripKeys<ImportRecord>(out.Item) : undefined;
  }

  async recordProgress(record: ImportRecord, progress: ImportProgress, at: string): Promise<boolean> {
    const out = await conditionalUpdate(this.db, {
      TableName: this.tableName,
      Key: importKeys.key(record.jurisdiction, record.id),
      UpdateExpression:
        'SET #status = :applying, progress.done = :done, counts.created = :created, counts.replayed = :replayed, updatedAt = :at',
      ConditionExpression:
        'attribute_exists(pk) AND #status IN (:queued, :applying) AND progress.done < :done',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':applying': 'applying',
        ':queued': 'queued',
        ':done': progress.done,
        ':created': progress.created,
        ':replayed': progress.replayed,
        ':at': at,
      },
    });
    return out !== undefined;
  }

  async finishImport(
    record: ImportRecord,
    outcome: { status: 'applied'; progress: ImportProgress } | { status: 'failed'; failure: ImportFailure },
    at: string,
  ): Promise<ImportRecord | undefined> {
    const common = {
      TableName: this.tableName,
      Key: importKeys.key(record.jurisdiction, record.id),
      ExpressionAttributeNames: { '#status': 'status' },
      ReturnValues: 'ALL_NEW' as const,
    };
    const out =
      outcome.status === 'applied'
        ? await conditionalUpdate(this.db, {
            ...common,
            UpdateExpression:
              'SET #status = :applied, progress.done = :done, counts.created = :created, counts.replayed = :replayed, updatedAt = :at REMOVE failure',
            ConditionExpression: 'attribute_exists(pk) AND #status IN (:queued, :applying)',
            ExpressionAttributeValues: {
              ':applied': 'applied',
              ':queued': 'queued',
              ':applying': 'applying',
              ':done': outcome.progress.done,
              ':created': outcome.progress.created,
              ':replayed': outcome.progress.replayed,
              ':at': at,
            },
          })
        : await conditionalUpdate(this.db, {
            ...common,
            UpdateExpression: 'SET #status = :failed, failure = :failure, updatedAt = :at',
            ConditionExpression: 'attribute_exists(pk) AND #status IN (:queued, :applying)',
            ExpressionAttributeValues: {
              ':failed': 'failed',
              ':queued': 'queued',
              ':applying': 'applying',
              ':failure': outcome.failure,
              ':at': at,
            },
          });
    return out?.Attributes ? stripKeys<ImportRecord>(out.Attributes) : undefined;
  }

  async handOver(record: ImportRecord, at: string): Promise<void> {
    // Unconditional on status: whoever finished it meanwhile, the import is answered as a job from now on.
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: importKeys.key(record.jurisdiction, record.id),
        UpdateExpression: 'SET #mode = :job, updatedAt = :at',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#mode': 'mode' },
        ExpressionAttributeValues: { ':job': 'job', ':at': at },
      }),
    );
  }

  async retryImport(record: ImportRecord, at: string): Promise<boolean> {
    const out = await conditionalUpdate(this.db, {
      TableName: this.tableName,
      Key: importKeys.key(record.jurisdiction, record.id),
      UpdateExpression: 'SET #status = :applying, updatedAt = :at REMOVE failure',
      ConditionExpression: 'attribute_exists(pk) AND #status = :failed',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':applying': 'applying', ':failed': 'failed', ':at': at },
    });
    return out !== undefined;
  }
}
