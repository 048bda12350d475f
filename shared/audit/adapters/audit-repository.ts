import { type DynamoDBDocumentClient, PutCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Page } from '../../ledger/app/ports.ts';
import type { LedgerEntry } from '../../ledger/domain/ledger-entry.ts';
import { putAll, QueryFilter, queryAll, queryKeyPage, stripKeys } from '../../platform/aws/dynamo-items.ts';
import { auditLogKeys, digestKeys, entryKeys, type KeyQuery } from '../../platform/table/keys.ts';
import { jurisdictionOf } from '../../platform/tenancy.ts';
import type { AuditRecord, AuditStore, DigestRecord, EntryQuery } from '../app/ports.ts';

/**
 * DynamoDB adapter of the audit side. Ledger queries read the entries' index (gsi1, one partition per
 * jurisdiction and fiscal year, sorted by posting time) or one allocation's partition; never a scan.
 * Every key names the jurisdiction (platform/table/keys.ts): a read of one jurisdiction's entries,
 * digests or audit log never reaches another's, and a cursor must lie in the partition read.
 */
export class DynamoAuditRepository implements AuditStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** A page of one partition (see queryKeyPage): `rest` adds the filter and the order. */
  private page<T>(
    key: KeyQuery,
    rest: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'IndexName' | 'KeyConditionExpression'>,
    limit: number,
    cursor?: string,
  ): Promise<Page<T>> {
    return queryKeyPage<T>(this.db, this.tableName, key, rest, limit, cursor);
  }

  async queryEntries(query: EntryQuery, limit: number, cursor?: string): Promise<Page<LedgerEntry>> {
    const key = query.allocationId
      ? // One allocation: its own partition, in seq order (which is posting order).
        entryKeys.ofAllocation(query.jurisdiction, query.allocationId)
      : // The year's index partition, sorted by `<postedAt>#<allocationId>#<seq>`: the period is a key
        // range. An entry posted exactly at `to` sorts after it (its key goes on): excluded.
        entryKeys.ofYear(
          query.jurisdiction,
          query.fiscalYear,
          query.from && query.to
            ? { between: [query.from, query.to] }
            : query.from
              ? { atLeast: query.from }
              : query.to
                ? { below: query.to }
                : undefined,
        );
    const filter = new QueryFilter(key.ExpressionAttributeValues);
    for (const field of ['fundingLine', 'commune', 'component'] as const) {
      if (query[field] !== undefined) filter.where(field, '=', query[field]);
    }
    if (query.allocationId) {
      filter.where('fiscalYear', '=', query.fiscalYear);
      if (query.from) filter.where('postedAt', '>=', query.from, ':from');
      if (query.to) filter.where('postedAt', '<', query.to, ':to');
    }
    return this.page<LedgerEntry>(key, filter.expression(), limit, cursor);
  }

  entriesNewestFirst(
    jurisdiction: string,
    allocationId: string,
    limit: number,
    cursor?: string,
  ): Promise<Page<LedgerEntry>> {
    // Consistent like the full statement's read: a page shows every entry the allocation's total counts.
    return this.page<LedgerEntry>(
      entryKeys.ofAllocation(jurisdiction, allocationId),
      { ScanIndexForward: false, ConsistentRead: true },
      limit,
      cursor,
    );
  }

  putDigests(records: DigestRecord[]): Promise<number> {
    return putAll(
      this.db,
      this.tableName,
      records.map((r) => ({ ...digestKeys.item(jurisdictionOf(r), r), ...r })),
      'digest write kept being throttled',
    );
  }

  private all<T>(input: Omit<QueryCommandInput, 'TableName'>): Promise<T[]> {
    return queryAll<T>(this.db, this.tableName, input);
  }

  digestsOfDate(jurisdiction: string, date: string): Promise<DigestRecord[]> {
    return this.all<DigestRecord>(digestKeys.ofDate(jurisdiction, date));
  }

  digestsOfAllocation(jurisdiction: string, allocationId: string): Promise<DigestRecord[]> {
    return this.all<DigestRecord>({
      ...digestKeys.ofAllocation(jurisdiction, allocationId),
      ConsistentRead: true,
    });
  }

  async recordAudit(record: AuditRecord): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        // An entry about a commune is also filed under it, so a commune's auditor reads a key range.
        Item: { ...auditLogKeys.item(jurisdictionOf(record), record), ...record },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async listAuditLog(
    jurisdiction: string,
    limit: number,
    cursor?: string,
    commune?: string,
  ): Promise<Page<AuditRecord>> {
    // A position in one jurisdiction's or commune's log (or in a whole log) is refused on another.
    const page = await this.page<AuditRecord & Record<string, unknown>>(
      auditLogKeys.listing(jurisdiction, commune),
      { ScanIndexForward: false },
      limit,
      cursor,
    );
    return {
      ...page,
      items: page.items.map((item) => stripKeys<AuditRecord>(item)),
    };
  }
}
