import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentItem } from '../../documents/adapters/document-repository.ts';
import { conditionalPut, putAll, stripKeys } from '../../platform/aws/dynamo-items.ts';
import {
  allocationKeys,
  archiveRestoreKeys,
  digestKeys,
  entryKeys,
  type KeyQuery,
} from '../../platform/table/keys.ts';
import type { RestoreMarker, RestoreRecords, RestoreStore } from '../archive/archive-import.ts';

/**
 * DynamoDB adapter of an archive's restore: the items as the repositories store them (same keys from
 * platform/table/keys.ts, same attributes), in the archive's jurisdiction, written by BatchWriteItem 25
 * at a time. Puts without a condition on purpose: a resumed restore writes the same items again; that
 * the year was empty is checked once, before the `restoring` marker (conditional) is written.
 */
export class DynamoArchiveRestoreRepository implements RestoreStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async restoreMarker(jurisdiction: string, fiscalYear: number): Promise<RestoreMarker | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: archiveRestoreKeys.key(jurisdiction, fiscalYear),
        ConsistentRead: true,
      }),
    );
    return out.Item ? stripKeys<RestoreMarker>(out.Item) : undefined;
  }

  private async any(query: KeyQuery): Promise<boolean> {
    const out = await this.db.send(new QueryCommand({ TableName: this.tableName, ...query, Limit: 1 }));
    return (out.Items?.length ?? 0) > 0;
  }

  async holdsYear(jurisdiction: string, fiscalYear: number): Promise<boolean> {
    return (
      (await this.any(allocationKeys.ofYear(jurisdiction, fiscalYear))) ||
      (await this.any(entryKeys.ofYear(jurisdiction, fiscalYear)))
    );
  }

  beginRestore(marker: RestoreMarker): Promise<boolean> {
    return conditionalPut(this.db, {
      TableName: this.tableName,
      Item: { ...archiveRestoreKeys.item(marker.jurisdiction, marker.fiscalYear), ...marker },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  }

  async writeRecords(jurisdiction: string, records: RestoreRecords): Promise<number> {
    const items = [
      ...(records.entries ?? []).map((e) => ({ ...entryKeys.item(jurisdiction, e), ...e })),
      ...(records.digests ?? []).map((d) => ({ ...digestKeys.item(jurisdiction, d), ...d })),
      ...(records.documents ?? []).map((d) => documentItem(d)),
      ...(records.allocations ?? []).map((a) => ({ ...allocationKeys.item(jurisdiction, a), ...a })),
    ];
    return putAll(
      this.db,
      this.tableName,
      items,
      'the restore kept being throttled: run the import again to resume',
    );
  }

  async finishRestore(marker: RestoreMarker): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...archiveRestoreKeys.item(marker.jurisdiction, marker.fiscalYear), ...marker },
        ConditionExpression: '#status = :restoring AND archiveSha256 = :sha',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':restoring': 'restoring', ':sha': marker.archiveSha256 },
      }),
    );
  }
}
