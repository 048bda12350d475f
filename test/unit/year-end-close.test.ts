import { describe, expect, it, vi } from 'vitest';
import { adjustAllocation, extendDeadline } from '../../shared/ledger/app/allocations.ts';
import { decideRequest, submitRequest } from '../../shared/ledger/app/requests.ts';
import { closeFiscalYear } from '../../shared/ledger/app/year-end-close.ts';
import { verifyChain } from '../../shared/ledger/domain/hash-chain.ts';
import { imbalance } from '../../shared/ledger/domain/ledger-entry.ts';
import { buildStatement } from '../../shared/ledger/domain/statement.ts';
import {
  carriedAmountOf,
  carryOver,
  checkCarryOver,
  disbursedBy,
} from '../../shared/ledger/domain/year-end-close.ts';
import { approvalPolicies } from '../../shared/platform/config/approval-policies/index.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../../shared/platform/tenancy.ts';
import { finance, givenAllocation, newRequest, planner, testEnv } from '../support/fixtures.ts';
import { caught } from './support/caught.ts';
import { anActor } from './support/domain-fixtures.ts';
import { InMemoryLedgerStore, LostReplyError } from './support/in-memory-ledger-store.ts';

const J = UPGRADE_DEFAULT_JURISDICTION;
/** 10/02/2025 in Vietnam: after the 2024 plan's deadline (31/01/2025). */
const AFTER_DEADLINE = () => new Date('2025-02-10T03:00:00.000Z');
const decision = { decisionNumber: '45/QĐ-UBND', decidedOn: '2025-02-10' };

describe('year-end close (domain)', () => {
  const allocations = [
    { id: 'a1', availableVnd: 600, reservedVnd: 100 },
    { id: 'a2', availableVnd: 0, reservedVnd: 0, carriedFrom: 'a0' },
  ];

  it('refuses a carry-over of an allocation not of the year, named twice, carried already or above its unspent balance', () => {
    expect(caught(() => checkCarryOver(2024, allocations, [{ allocationId: 'x' }]))).toMatchObject({
      code: 'invalid_carry_over',
      status: 422,
      details: { field: 'body.carryOver[0]' },
    });
    expect(
      caught(() => checkCarryOver(2024, allocations, [{ allocationId: 'a1' }, { allocationId: 'a1' }])),
    ).toMatchObject({ code: 'invalid_carry_over', details: { field: 'body.carryOver[1]' } });
    expect(caught(() => checkCarryOver(2024, allocations, [{ allocationId: 'a2' }]))).toMatchObject({
      code: 'invalid_carry_over',
    });
    expect(
      caught(() => checkCarryOver(2024, allocations, [{ allocationId: 'a1', amountVnd: 701 }])),
    ).toMatchObject({ code: 'invalid_carry_over', details: { maxVnd: 700 } });
    expect(() => checkCarryOver(2024, allocations, [{ allocationId: 'a1', amountVnd: 700 }])).not.toThrow();
  });

  it('carries the whole available balance by default and never more than available', () => {
    expect(carriedAmountOf({ id: 'a1', availableVnd: 700 }, { allocationId: 'a1' })).toBe(700);
    expect(carriedAmountOf({ id: 'a1', availableVnd: 700 }, undefined)).toBe(0);
    expect(
      caught(() => carriedAmountOf({ id: 'a1', availableVnd: 700 }, { allocationId: 'a1', amountVnd: 701 })),
    ).toMatchObject({ code: 'invalid_carry_over' });
  });

  it('chains a balanced outgoing entry on the origin and opens the next-year allocation with the incoming one', async () => {
    const store = new InMemoryLedgerStore();
    const origin = await givenAllocation(store, { amountVnd: 1_000 });
    const { outgoing, target, incoming } = carryOver(
      origin,
      'next',
      400,
      { fiscalYear: 2024, ...decision, closedBy: 'p' },
      '2025-02-10T03:00:00.000Z',
    );
    expect([imbalance(outgoing), imbalance(incoming)]).toEqual([0, 0]);
    expect([disbursedBy(outgoing), disbursedBy(incoming)]).toEqual([0, 0]);
    expect(verifyChain([outgoing], { seq: 1, hash: outgoing.hash }).valid).toBe(true);
    expect(verifyChain([incoming], { seq: target.headSeq, hash: target.headHash }).valid).toBe(true);
    expect(target).toMatchObject({
      fiscalYear: 2025,
      carriedFrom: origin.id,
      assignedVnd: 400,
      availableVnd: 400,
      deadline: '2025-12-31',
    });
  });
});

describe('year-end close (use case on the store)', () => {
  const arrange = async () => {
    const store = new InMemoryLedgerStore();
    const carried = await givenAllocation(store, { fundingLine: 'local', amountVnd: 1_000_000 });
    const returned = await givenAllocation(store, { fundingLine: 'local', amountVnd: 500_000 });
    const pending = await submitRequest(
      { ...testEnv, store, policies: approvalPolicies },
      finance,
      newRequest(carried.id, 300_000),
      crypto.randomUUID(),
    );
    const deps = { ...testEnv, store, now: AFTER_DEADLINE };
    return { store, deps, carried, returned, pending: pending.result };
  };

  it('expires pending requests, writes closing figures, carries the chosen balance into 2025 and verifies both chains', async () => {
    const { store, deps, carried, returned, pending } = await arrange();
    const { result, replayed } = await closeFiscalYear(deps, planner, 2024, {
      ...decision,
      carryOver: [{ allocationId: carried.id }],
    });
    expect(replayed).toBe(false);
    expect((await store.getRequest(J, pending.id))?.status).toBe('expired');
    const origin = await store.getAllocation(J, carried.id);
    const targetId = origin?.closing?.carriedTo ?? '';
    expect(origin?.closing).toMatchObject({
      assignedVnd: 1_000_000,
      disbursedVnd: 0,
      carriedOverVnd: 1_000_000,
      returnedVnd: 0,
    });
    expect((await store.getAllocation(J, returned.id))?.closing).toMatchObject({
      returnedVnd: 500_000,
      carriedOverVnd: 0,
    });
    expect(result.allocations).toHaveLength(2);
    const target = await store.getAllocation(J, targetId);
    expect(target).toMatchObject({ fiscalYear: 2025, carriedFrom: carried.id, assignedVnd: 1_000_000 });
    for (const a of [origin, target]) {
      const entries = await store.listEntries(J, a?.id ?? '');
      expect(verifyChain(entries, { seq: a?.headSeq ?? 0, hash: a?.headHash ?? '' }).valid).toBe(true);
      if (a) expect(buildStatement(a, entries).agreesWithAllocation).toBe(true);
    }
    // A second close, any body, answers the same close.
    const again = await closeFiscalYear(deps, planner, 2024, { ...decision, carryOver: [] });
    expect(again).toEqual({ result, replayed: true });
  });

  it('refuses every later write on the closed year with 409 fiscal_year_closed, in the use cases and the store', async () => {
    const { store, deps, carried } = await arrange();
    await closeFiscalYear(deps, planner, 2024, { ...decision, carryOver: [] });
    const write = [
      submitRequest(
        { ...deps, policies: approvalPolicies },
        finance,
        newRequest(carried.id, 1),
        crypto.randomUUID(),
      ),
      adjustAllocation(deps, planner, carried.id, { deltaVnd: 1, reason: 'r' }),
      extendDeadline(deps, planner, carried.id, { ...decision, deadline: '2025-12-31' }),
    ];
    for (const refused of await Promise.all(write.map((p) => p.catch((e: unknown) => e)))) {
      expect(refused).toMatchObject({ code: 'fiscal_year_closed', status: 409 });
    }
    const expired = (await store.listRequests({ jurisdiction: J }, 10)).items[0];
    if (!expired) throw new Error('no request');
    const approver = anActor('dist-1', ['approver-district']);
    const decided = await decideRequest(
      { ...deps, policies: approvalPolicies, publisher: { publish: async () => {} } },
      approver,
      expired.id,
      { decision: 'approve' },
      crypto.randomUUID(),
    ).catch((e: unknown) => e);
    expect(decided).toMatchObject({ code: 'fiscal_year_closed', status: 409 });
    // The store's own condition: a submission checked before the close and written after it.
    const late = { ...expired, id: 'late', status: 'pending_approval' as const, version: 1 };
    const record = { jurisdiction: J, scope: 'late', fingerprint: 'f', result: {}, createdAt: 'x' };
    expect(await store.submitRequest(late, record).catch((e: unknown) => e)).toMatchObject({
      code: 'fiscal_year_closed',
    });
    expect(await store.saveApproval(late, 1).catch((e: unknown) => e)).toMatchObject({
      code: 'fiscal_year_closed',
    });
  });

  it('finishes a close interrupted after some allocations by repeating the call, creating each carry-over once', async () => {
    let crashes = 1;
    const store = new InMemoryLedgerStore((operation) =>
      operation === 'finishFiscalYearClose' && crashes-- > 0 ? 'conflict' : 'none',
    );
    const a = await givenAllocation(store, { amountVnd: 1_000 });
    const deps = { ...testEnv, store, now: AFTER_DEADLINE };
    const input = { ...decision, carryOver: [{ allocationId: a.id, amountVnd: 600 }] };
    expect(
      await closeFiscalYear(deps, planner, 2024, input, 'close-1').catch((e: unknown) => e),
    ).toMatchObject({ status: 503 });
    expect((await store.getAllocation(J, a.id))?.closing?.carriedOverVnd).toBe(600);
    const resumed = await closeFiscalYear(deps, planner, 2024, input, 'close-1');
    expect(resumed.result.status).toBe('closed');
    expect([...store.allocations.values()].filter((x) => x.carriedFrom === a.id)).toHaveLength(1);
    expect((await closeFiscalYear(deps, planner, 2024, input, 'close-1')).replayed).toBe(true);
  });

  it('reads no allocation closed already when a close is resumed, so a retried close gets further each time', async () => {
    let crashes = 1;
    const store = new InMemoryLedgerStore((operation) =>
      operation === 'finishFiscalYearClose' && crashes-- > 0 ? 'conflict' : 'none',
    );
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await givenAllocation(store, { amountVnd: 1_000 })).id);
    const deps = { ...testEnv, store, now: AFTER_DEADLINE };
    const input = { ...decision, carryOver: [{ allocationId: ids[0] ?? '' }] };
    expect(await closeFiscalYear(deps, planner, 2024, input).catch((e: unknown) => e)).toMatchObject({
      status: 503,
    });
    const reads = vi.spyOn(store, 'getAllocation');
    const resumed = await closeFiscalYear(deps, planner, 2024, input);
    expect(resumed.result.status).toBe('closed');
    expect(reads.mock.calls.filter(([, id]) => ids.includes(id))).toEqual([]);
    expect(resumed.result.allocations?.map((a) => a.allocationId).sort()).toEqual([...ids].sort());
    expect(resumed.result.allocations?.find((a) => a.allocationId === ids[0])?.carriedOverVnd).toBe(1_000);
  });

  it('keeps a lost reply of an allocation’s close from carrying twice', async () => {
    let lost = 1;
    const store = new InMemoryLedgerStore((operation) =>
      operation === 'closeAllocation' && lost-- > 0 ? 'lost-reply' : 'none',
    );
    const a = await givenAllocation(store, { amountVnd: 1_000 });
    const deps = { ...testEnv, store, now: AFTER_DEADLINE };
    const input = { ...decision, carryOver: [{ allocationId: a.id }] };
    expect(await closeFiscalYear(deps, planner, 2024, input).catch((e: unknown) => e)).toBeInstanceOf(
      LostReplyError,
    );
    await closeFiscalYear(deps, planner, 2024, input);
    const carried = [...store.allocations.values()].filter((x) => x.carriedFrom === a.id);
    expect(carried.map((x) => x.assignedVnd)).toEqual([1_000]);
  });
});
