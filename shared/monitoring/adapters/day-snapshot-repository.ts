import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { itemsOfListing } from '../../platform/aws/dynamo-items.ts';
import { daySnapshotKeys } from '../../platform/table/keys.ts';
import type { DaySnapshotStore } from '../app/ports.ts';
import type { DaySnapshot } from '../domain/day-snapshot.ts';
import { newestDay } from './day-summary-repository.ts';

/**
 * DynamoDB adapter of the day snapshots: `J#<j>#DAYCUM#<fiscalYear>` / `<date>` (platform/table/keys.ts),
 * one item per closed day, read by key on the few days a forecast needs, whatever the size of the ledger.
 */
export class DynamoDaySnapshotRepository implements DaySnapshotStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async putDaySnapshot(snapshot: DaySnapshot): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...daySnapshotKeys.item(snapshot.jurisdiction, snapshot), ...snapshot },
      }),
    );
  }

  async getDaySnapshots(
    jurisdiction: string,
    fiscalYear: number,
    dates: readonly string[],
  ): Promise<Map<string, DaySnapshot>> {
    const keys = [...new Set(dates)].map((date) => ({
      ...daySnapshotKeys.key(jurisdiction, fiscalYear, date),
    }));
    const found = await itemsOfListing<DaySnapshot & { type?: string }>(this.db, this.tableName, keys);
    return new Map(
      found.map(({ type: _type, ...snapshot }) => [snapshot.date, snapshot as DaySnapshot] as const),
    );
  }

  lastSnapshotDay(jurisdiction: string, fiscalYear: number): Promise<string | undefined> {
    return newestDay(this.db, this.tableName, daySnapshotKeys.ofYear(jurisdiction, fiscalYear));
  }
}
