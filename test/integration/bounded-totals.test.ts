import { randomUUID } from 'node:crypto';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoIndicators } from '../../local/demo-targets.ts';
import { keys } from '../../shared/ledger/adapters/ledger-repository.ts';
import { applyApprovalEvent } from '../../shared/ledger/app/apply-approval-event.ts';
import type { Adjustment, LedgerStore } from '../../shared/ledger/app/ports.ts';
import { approvalPolicy } from '../../shared/platform/config/index.ts';
import { AmountOutOfRangeError } from '../../shared/platform/errors.ts';
import { MAX_AMOUNT_VND } from '../../shared/platform/money.ts';
import { isTransient } from '../../shared/platform/transient-failure.ts';
import { DynamoTargetRepository } from '../../shared/targets/adapters/target-repository.ts';
import { defineIndicator, listTargets } from '../../shared/targets/app/targets.ts';
import { approvalEvents, givenAllocation, givenSubmission, planner, testEnv } from '../support/fixtures.ts';
import { freshTable, setAllocationByHand } from '../support/local-aws.ts';
import { aRequest } from '../unit/support/domain-fixtures.ts';

let store: LedgerStore;
let db: Awaited<ReturnType<typeof freshTable>>['db'];
let tableName: string;
const deps = () => ({ store, ...testEnv });
const MAX = MAX_AMOUNT_VND;

beforeAll(async () => {
  ({ store, db, tableName } = await freshTable('totals'));
});

const anAdjustment = (allocationId: string, deltaVnd: number): Adjustment => ({
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
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `ALLOC#${allocationId}` },
        ConsistentRead: true,
      }),
    )
  ).Items ?? [];

/** Runs a store write again while DynamoDB answers with a transient conflict (what the API's 503 asks a client to do). */
const retryingTransient = async <T>(write: () => Promise<T>): Promise<T> => {
  for (;;) {
    try {
      return await write();
    } catch (error) {
      if (!isTransient(error)) throw error;
    }
  }
};

describe('the conditional writes keep every running total within 10^15 on DynamoDB Local', () => {
  it('refuses an adjustment past 10^15 in the write itself and writes nothing', async () => {
    const allocation = await givenAllocation(store, { amountVnd: MAX - 1 });
    const scope = `adjust-allocation#${randomUUID()}`;

    const refused = store.adjustAllocation(anAdjustment(allocation.id, 2), {
      scope,
      fingerprint: 'f',
      result: {},
      createdAt: new Date().toISOString(),
    });

    await expect(refused).rejects.toBeInstanceOf(AmountOutOfRangeError);
    await expect(refused).rejects.toMatchObject({
      message: expect.stringContaining(`it is ${MAX - 1} now`),
      details: { field: 'assignedVnd', current: MAX - 1, delta: 2, maxDelta: 1 },
    });
    expect(await store.getAllocation(allocation.id)).toEqual(allocation);
    expect((await itemsOf(allocation.id)).map((i) => i.sk)).toEqual(['A']);
    expect(await store.getIdempotency(scope)).toBeUndefined();
  });

  it('lets exactly one of two racing adjustments pass when each fits alone but both would exceed 10^15', async () => {
    const allocation = await givenAllocation(store, { amountVnd: MAX - 100 });

    const results = await Promise.allSettled(
      [60, 60].map((delta) =>
        retryingTransient(() => store.adjustAllocation(anAdjustment(allocation.id, delta))),
      ),
    );

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const [refused] = results.filter((r) => r.status === 'rejected');
    expect((refused as PromiseRejectedResult).reason).toBeInstanceOf(AmountOutOfRangeError);
    expect(await store.getAllocation(allocation.id)).toMatchObject({
      assignedVnd: MAX - 40,
      availableVnd: MAX - 40,
    });
    expect((await itemsOf(allocation.id)).filter((i) => i.type === 'adjustment')).toHaveLength(1);
  });

  it('refuses a reservation that would take reservedVnd past 10^15, even when enough is available', async () => {
    const allocation = await givenAllocation(store, { amountVnd: 1_000_000 });
    // Inconsistent totals, as older code or a hand edit could leave them: plenty available, reserved near the top.
    await setByHand(allocation.id, { reservedVnd: MAX - 5 });
    const request = aRequest({ id: randomUUID(), allocationId: allocation.id, amountVnd: 6 });

    // Straight at the store: only the write's condition stands between the request and the total.
    const refused = store.submitRequest(request, {
      scope: `submit-request#${randomUUID()}`,
      fingerprint: 'f',
      result: {},
      createdAt: new Date().toISOString(),
    });

    await expect(refused).rejects.toMatchObject({
      code: 'amount_out_of_range',
      details: { field: 'reservedVnd', current: MAX - 5 },
    });
    expect((await store.listRequests({ allocationId: allocation.id }, 10)).items).toEqual([]);
    expect((await store.getAllocation(allocation.id))?.reservedVnd).toBe(MAX - 5);
  });

  it('refuses a posting whose output count would pass 10^15: nothing posted, nothing counted', async () => {
    const allocation = await givenAllocation(store, { amountVnd: 100_000_000 });
    const request = await givenSubmission(deps(), allocation.id, 40_000_000, { houses: 2 });
    await setByHand(allocation.id, { 'output#houses': MAX - 1 });
    const applyDeps = { ...deps(), policy: approvalPolicy, sleep: async () => {} };
    const events = approvalEvents(testEnv, request);
    for (const event of events.slice(0, -1)) await applyApprovalEvent(applyDeps, event);

    const last = applyApprovalEvent(applyDeps, events.at(-1) as (typeof events)[number]);

    await expect(last).rejects.toMatchObject({
      code: 'amount_out_of_range',
      details: { field: 'outputs.houses', current: MAX - 1, delta: 2 },
    });
    const item = (
      await db.send(new GetCommand({ TableName: tableName, Key: keys.allocation(allocation.id) }))
    ).Item;
    expect(item).toMatchObject({ 'output#houses': MAX - 1, disbursedVnd: 0, headSeq: 0 });
    expect(await store.listEntries(allocation.id)).toEqual([]);
    expect((await store.getRequest(request.id))?.status).toBe('pending_approval');
  });

  it('leaves an allocation with an output count stored past 2^53 out of the targets, naming it', async () => {
    const year = 2090;
    const targets = new DynamoTargetRepository(db, tableName);
    const good = await givenAllocation(store, { fiscalYear: year });
    const bad = await givenAllocation(store, { fiscalYear: year });
    await setByHand(good.id, { 'output#houses': 3 });
    await setByHand(bad.id, { 'output#houses': '9100000000000000001' });
    const houses = new Map(demoIndicators()).get('houses');
    if (!houses) throw new Error('the demo plan has no houses indicator');
    await defineIndicator({ targets, ...testEnv }, planner, `${year}.houses`, houses);

    const list = await listTargets({ targets }, year);

    expect(list.items[0]?.actual).toBe(3);
    expect(list.problems).toEqual([
      expect.objectContaining({
        allocationId: bad.id,
        totals: [{ field: 'outputs.houses', value: '9100000000000000001' }],
      }),
    ]);
  });
});
