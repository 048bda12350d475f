import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Page } from '../../ledger/app/ports.ts';
import type { LedgerEntry } from '../../ledger/domain/ledger-entry.ts';
import {
  decodeKeyCursor,
  encodeKeyCursor,
  QueryFilter,
  queryAll,
  queryPage,
  stripKeys,
} from '../../platform/aws/dynamo-items.ts';
import type { AuditRecord, AuditStore, DigestRecord, EntryQuery } from '../app/ports.ts';
import { AUDIT_LOG_PARTITION } from '../topology.ts';

const AUDIT_LOG_PK = AUDIT_LOG_PARTITION;
/** The gsi2 partition of the audit-log entries about one commune. */
const auditLogOfCommune = (commune: string) => `${AUDIT_LOG_PK}#${commune}`;

/**
 * DynamoDB adapter of the audit side. Ledger queries read the entries' index (gsi1, one partition per
 * fiscal year, sorted by posting time) or one allocation's partition; never a scan.
 */
export class DynamoAuditRepository implements AuditStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Reads until the page is full or the key range ends (filters may thin out a page). Its cursor is
   * the bare position, which must lie in the query's own partition; the HTTP edge signs it for clients.
   */
  private async page<T>(
    input: Omit<QueryCommandInput, 'TableName' | 'Limit'>,
    limit: number,
    partition: { key: 'pk' | 'gsi1pk' | 'gsi2pk'; value: string },
    cursor?: string,
  ): Promise<Page<T>> {
    const { items, lastKey } = await queryPage<T>(
      this.db,
      this.tableName,
      input,
      limit,
      cursor ? decodeKeyCursor(cursor, (key) => key[partition.key] === partition.value) : undefined,
    );
    return { items, ...(lastKey ? { nextCursor: encodeKeyCursor(lastKey) } : {}) };
  }

  async queryEntries(query: EntryQuery, limit: number, cursor?: string): Promise<Page<LedgerEntry>> {
    const filter = new QueryFilter();
    for (const field of ['fundingLine', 'commune', 'component'] as const) {
      if (query[field] !== undefined) filter.where(field, '=', query[field]);
    }
    if (query.allocationId) {
      // One allocation: its own partition, in seq order (which is posting order).
      filter.where('fiscalYear', '=', query.fiscalYear);
      if (query.from) filter.where('postedAt', '>=', query.from, ':from');
      if (query.to) filter.where('postedAt', '<', query.to, ':to');
      filter.values[':pk'] = `ALLOC#${query.allocationId}`;
      filter.values[':e'] = 'E#';
      return this.page<LedgerEntry>(
        { KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)', ...filter.expression() },
        limit,
        { key: 'pk', value: `ALLOC#${query.allocationId}` },
        cursor,
      );
    }
    // The year's index partition, sorted by `<postedAt>#<allocationId>#<seq>`: the period is a key range.
    filter.values[':pk'] = `ENTRY#FY#${query.fiscalYear}`;
    if (query.from) filter.values[':from'] = query.from;
    if (query.to) filter.values[':to'] = query.to; // an entry posted exactly at `to` sorts after it: excluded
    const range =
      query.from && query.to
        ? ' AND gsi1sk BETWEEN :from AND :to'
        : query.from
          ? ' AND gsi1sk >= :from'
          : query.to
            ? ' AND gsi1sk < :to'
            : '';
    return this.page<LedgerEntry>(
      {
        IndexName: 'gsi1',
        KeyConditionExpression: `gsi1pk = :pk${range}`,
        ...filter.expression(),
      },
      limit,
      { key: 'gsi1pk', value: `ENTRY#FY#${query.fiscalYear}` },
      cursor,
    );
  }

  async putDigests(records: DigestRecord[]): Promise<number> {
    for (let i = 0; i < records.length; i += 25) {
      let pending = records.slice(i, i + 25).map((r) => ({
        PutRequest: {
          Item: {
            pk: `ALLOC#${r.allocationId}`,
            sk: `DIG#${r.date}`,
            type: 'digest',
            gsi2pk: `DIGEST#${r.date}`,
            gsi2sk: r.allocationId,
            ...r,
          },
        },
      }));
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
        if (attempt > 8) throw new Error('digest write kept being throttled');
        const out = await this.db.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }),
        );
        pending = (out.UnprocessedItems?.[this.tableName] ?? []) as typeof pending;
      }
    }
    return records.length;
  }

  private all<T>(input: Omit<QueryCommandInput, 'TableName'>): Promise<T[]> {
    return queryAll<T>(this.db, this.tableName, input);
  }

  digestsOfDate(date: string): Promise<DigestRecord[]> {
    return this.all<DigestRecord>({
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': `DIGEST#${date}` },
    });
  }

  digestsOfAllocation(allocationId: string): Promise<DigestRecord[]> {
    return this.all<DigestRecord>({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :d)',
      ExpressionAttributeValues: { ':pk': `ALLOC#${allocationId}`, ':d': 'DIG#' },
      ConsistentRead: true,
    });
  }

  async recordAudit(record: AuditRecord): Promise<void> {
    const sk = `${record.at}#${record.id}`;
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: AUDIT_LOG_PK,
          sk,
          type: 'audit',
          // An entry about a commune is also filed under it, so a commune's auditor reads a key range.
          ...(record.commune !== undefined ? { gsi2pk: auditLogOfCommune(record.commune), gsi2sk: sk } : {}),
          ...record,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async listAuditLog(limit: number, cursor?: string, commune?: string): Promise<Page<AuditRecord>> {
    const page = await this.page<AuditRecord & Record<string, unknown>>(
      commune === undefined
        ? {
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': AUDIT_LOG_PK },
            ScanIndexForward: false,
          }
        : {
            IndexName: 'gsi2',
            KeyConditionExpression: 'gsi2pk = :pk',
            ExpressionAttributeValues: { ':pk': auditLogOfCommune(commune) },
            ScanIndexForward: false,
          },
      limit,
      // A position in one commune's log (or in the whole log) is refused on another.
      commune === undefined
        ? { key: 'pk', value: AUDIT_LOG_PK }
        : { key: 'gsi2pk', value: auditLogOfCommune(commune) },
      cursor,
    );
    return {
      ...page,
      items: page.items.map((item) => stripKeys<AuditRecord>(item)),
    };
  }
}
