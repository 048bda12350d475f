import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetByKey, keyId, queryAll } from '../../platform/aws/dynamo-items.ts';
import { daySummaryKeys, type KeyQuery } from '../../platform/table/keys.ts';
import type { DaySummaryStore } from '../app/ports.ts';
import { cellKeysOfCommune, type DaySummary, type SeriesDay, seriesDayOf } from '../domain/day-summary.ts';

/**
 * DynamoDB adapter of the day summaries: `J#<j>#DAYSUM#<fiscalYear>` / `<date>` (platform/table/keys.ts),
 * one small item per closed day, so a year's series reads at most a few hundred items whatever the size
 * of the ledger.
 */
export class DynamoDaySummaryRepository implements DaySummaryStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** One put after another, in the order given: a run stopped half-way leaves no gap before its last day. */
  async putDaySummaries(summaries: readonly DaySummary[]): Promise<void> {
    for (const s of summaries) {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...daySummaryKeys.item(s.jurisdiction, s), ...s },
        }),
      );
    }
  }

  listDaySummaries(jurisdiction: string, fiscalYear: number): Promise<DaySummary[]> {
    return queryAll<DaySummary>(this.db, this.tableName, daySummaryKeys.ofYear(jurisdiction, fiscalYear));
  }

  /**
   * Only the reader's part of each day (a projection): the commune's cells, or the day's totals, whose
   * size does not grow with the communes or the entries. A summary written before totals existed is read
   * again whole, by key, and its cells summed.
   */
  async listSeriesDays(jurisdiction: string, fiscalYear: number, commune?: string): Promise<SeriesDay[]> {
    const wanted = commune !== undefined ? cellKeysOfCommune(commune) : [];
    const rows = await queryAll<Pick<DaySummary, 'date'> & Partial<Pick<DaySummary, 'cells' | 'totals'>>>(
      this.db,
      this.tableName,
      {
        ...daySummaryKeys.ofYear(jurisdiction, fiscalYear),
        ProjectionExpression:
          commune !== undefined
            ? ['#date', ...wanted.map((_, i) => `#part.#c${i}`)].join(', ')
            : '#date, #part',
        ExpressionAttributeNames: {
          '#date': 'date',
          '#part': commune !== undefined ? 'cells' : 'totals',
          ...Object.fromEntries(wanted.map((key, i) => [`#c${i}`, key])),
        },
      },
    );
    const older = commune === undefined ? rows.filter((r) => r.totals === undefined) : [];
    const whole = new Map<string, Record<string, unknown>>();
    for (let i = 0; i < older.length; i += 100) {
      const keys = older.slice(i, i + 100).map((r) => daySummaryKeys.key(jurisdiction, fiscalYear, r.date));
      for (const [id, item] of await batchGetByKey(this.db, this.tableName, keys)) whole.set(id, item);
    }
    return rows.map((r) => {
      if (commune !== undefined || r.totals !== undefined) return seriesDayOf(r, commune);
      const item = whole.get(keyId({ ...daySummaryKeys.key(jurisdiction, fiscalYear, r.date) }));
      return seriesDayOf({ date: r.date, cells: (item?.cells ?? {}) as DaySummary['cells'] });
    });
  }

  lastSummarisedDay(jurisdiction: string, fiscalYear: number): Promise<string | undefined> {
    return newestDay(this.db, this.tableName, daySummaryKeys.ofYear(jurisdiction, fiscalYear));
  }
}

/**
 * The newest day of a year's one-item-a-day listing (day summaries, day snapshots: their sort key is
 * the date), reading only that item's date.
 */
export const newestDay = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  ofYear: KeyQuery,
): Promise<string | undefined> => {
  const out = await db.send(
    new QueryCommand({
      TableName: tableName,
      ...ofYear,
      ScanIndexForward: false,
      Limit: 1,
      ProjectionExpression: '#date',
      ExpressionAttributeNames: { '#date': 'date' },
    }),
  );
  const date = out.Items?.[0]?.date;
  return typeof date === 'string' ? date : undefined;
};
