import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { queryAll } from '../../platform/aws/dynamo-items.ts';
import { daySummaryKeys } from '../../platform/table/keys.ts';
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

  async lastSummarisedDay(jurisdiction: string, fiscalYear: number): Promise<string | undefined> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        ...daySummaryKeys.ofYear(jurisdiction, fiscalYear),
        ScanIndexForward: false,
        Limit: 1,
        ProjectionExpression: '#date',
        ExpressionAttributeNames: { '#date': 'date' },
      }),
    );
    const date = out.Items?.[0]?.date;
    return typeof date === 'string' ? date : undefined;
  }
}
