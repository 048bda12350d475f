import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { queryAll } from '../../platform/aws/dynamo-items.ts';
import { daySummaryKeys, type KeyQuery } from '../../platform/table/keys.ts';
import type { DaySummaryStore } from '../app/ports.ts';
import type { DaySummary } from '../domain/day-summary.ts';

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
