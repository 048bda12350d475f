import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoIndicators } from '../../local/demo-targets.ts';
import type { Adjustment, LedgerStore } from '../../shared/ledger/app/ports.ts';
import { MAX_AMOUNT_VND } from '../../shared/platform/money.ts';
import { allocationKeys } from '../../shared/platform/table/keys.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../../shared/platform/tenancy.ts';
import { DynamoTargetRepository } from '../../shared/targets/adapters/target-repository.ts';
import { defineIndicator, listTargets } from '../../shared/targets/app/targets.ts';
import { givenAllocation, planner, testEnv } from '../support/fixtures.ts';
import { freshTable, setAllocationByHand } from '../support/local-aws.ts';
import { retryingTransient } from '../support/retrying-transient.ts';

/** The jurisdiction of this file's data (its fixtures name none: the upgrade default). */
const J = UPGRADE_DEFAULT_JURISDICTION;

let store: LedgerStore;
let db: Awaited<ReturnType<typeof freshTable>>['db'];
let tableName: string;
const MAX = MAX_AMOUNT_VND;

beforeAll(async () => {
  ({ store, db, tableName } = await freshTable('totals'));
});

const anAdjustment = (allocationId: string, deltaVnd: number): Adjustment => ({
  jurisdiction: J,
  id: randomUUID(),
  allocationId,
  deltaVnd,
  reason: 'Bổ sung',
  by: planner.sub,
  at: new Date().toISOString(),
});

const setByHand = (allocationId: string, values: Record<string, number | string>) =>
  setAllocationByHand(db, tableName, allocationId, values);

const itemsOf = async (allocationId: string) =>
  (
    await db.send(
      new QueryCommand({
        TableName: tableName,
        ...allocationKeys.partition(J, allocationId),
        ConsistentRead: true,
      }),
    )
  ).Items ?? [];

// The totals' bounds seen through the port (refused adjustments, reservations, postings and output
// counts, racing adjustments) are the LedgerStore contract's (ledger-store-contract.test.ts, run on the
// fake too); here, what only the table shows.
describe('the conditional writes keep every running total within 10^15 on DynamoDB Local', () => {
  it('writes an adjustment item for the one of two racing adjustments that passed, and none for a refused one', async () => {
    const allocation = await givenAllocation(store, { amountVnd: MAX - 100 });

    const results = await Promise.allSettled(
      [60, 60, 200].map((delta) =>
        retryingTransient(() => store.adjustAllocation(anAdjustment(allocation.id, delta))),
      ),
    );

    expect(results.map((r) => r.status)).toEqual(
      expect.arrayContaining(['fulfilled', 'rejected', 'rejected']),
    );
    expect((await itemsOf(allocation.id)).filter((i) => i.type === 'adjustment')).toHaveLength(1);
  });

  it('leaves an allocation with an output count stored past 2^53 out of the targets, naming it', async () => {
    const year = 2019;
    const targets = new DynamoTargetRepository(db, tableName);
    const good = await givenAllocation(store, { fiscalYear: year });
    const bad = await givenAllocation(store, { fiscalYear: year });
    await setByHand(good.id, { 'output#houses': 3 });
    await setByHand(bad.id, { 'output#houses': '9100000000000000001' });
    const houses = new Map(demoIndicators()).get('houses');
    if (!houses) throw new Error('the demo plan has no houses indicator');
    await defineIndicator({ targets, ...testEnv }, planner, `${year}.houses`, houses);

    const list = await listTargets({ targets }, planner, year);

    expect(list.items[0]?.actual).toBe(3);
    expect(list.problems).toEqual([
      expect.objectContaining({
        allocationId: bad.id,
        totals: [{ field: 'outputs.houses', value: '9100000000000000001' }],
      }),
    ]);
  });
});
