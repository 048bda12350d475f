import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { itemsOfListing } from '../../platform/aws/dynamo-items.ts';
import { daySnapshotKeys, pendingSetKeys } from '../../platform/table/keys.ts';
import type { DaySnapshotStore } from '../app/ports.ts';
import type { DaySnapshot } from '../domain/day-snapshot.ts';
import { newestDay } from './day-summary-repository.ts';

/** Ids a pending-set chunk holds: about 45 bytes each, so a chunk stays near 180 KB, under the 400 KB item. */
export const PENDING_SET_CHUNK = 4_000;

/**
 * DynamoDB adapter of the day snapshots: `J#<j>#DAYCUM#<fiscalYear>` / `<date>` (platform/table/keys.ts),
 * one item per closed day, read by key on the few days a forecast needs, whatever the size of the ledger;
 * and of the days' pending sets, `J#<j>#PIPE#<fiscalYear>` / `<date>#<chunk>`, read by key.
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

  async putPendingSet(
    jurisdiction: string,
    fiscalYear: number,
    date: string,
    ids: readonly string[],
    expiresAt: number,
  ): Promise<number> {
    // At least one chunk, so an empty set is told from a missing one.
    const chunks = Math.max(1, Math.ceil(ids.length / PENDING_SET_CHUNK));
    for (let chunk = 0; chunk < chunks; chunk++) {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...pendingSetKeys.item(jurisdiction, { fiscalYear, date, chunk }, expiresAt),
            ids: ids.slice(chunk * PENDING_SET_CHUNK, (chunk + 1) * PENDING_SET_CHUNK),
          },
        }),
      );
    }
    return chunks;
  }

  async getPendingSet(
    jurisdiction: string,
    fiscalYear: number,
    date: string,
    chunks: number,
  ): Promise<string[] | undefined> {
    const keys = Array.from({ length: chunks }, (_, chunk) => ({
      ...pendingSetKeys.key(jurisdiction, fiscalYear, date, chunk),
    }));
    const found = await itemsOfListing<{ ids?: string[] }>(this.db, this.tableName, keys);
    return found.length === chunks ? found.flatMap((c) => c.ids ?? []) : undefined;
  }
}
