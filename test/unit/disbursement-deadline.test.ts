import { describe, expect, it } from 'vitest';
import { extendDeadline, getAllocation } from '../../shared/ledger/app/allocations.ts';
import { applyApprovalEvent } from '../../shared/ledger/app/apply-approval-event.ts';
import { expireOverdueRequests } from '../../shared/ledger/app/deadline-expiry.ts';
import { decideRequest, submitRequest } from '../../shared/ledger/app/requests.ts';
import {
  checkExtension,
  deadlineOf,
  defaultDeadline,
  extensionLimit,
  isPastDeadline,
} from '../../shared/ledger/domain/disbursement-deadline.ts';
import { approvalPolicies } from '../../shared/platform/config/approval-policies/index.ts';
import { deadlineRules, loadDeadlineRules } from '../../shared/platform/config/fiscal-year/index.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../../shared/platform/tenancy.ts';
import { finance, givenAllocation, newRequest, planner, testEnv } from '../support/fixtures.ts';
import { caught } from './support/caught.ts';
import { anActor, anEvent } from './support/domain-fixtures.ts';
import { InMemoryLedgerStore } from './support/in-memory-ledger-store.ts';

const J = UPGRADE_DEFAULT_JURISDICTION;
const at = (instant: string) => () => new Date(instant);
/** 31/01/2025 23:59 and 01/02/2025 00:00 in Vietnam: the last minute of the 2024 plan and the first after. */
const LAST_MINUTE = '2025-01-31T16:59:00.000Z';
const FIRST_AFTER = '2025-01-31T17:00:00.000Z';

describe('disbursement deadlines (domain)', () => {
  it('gives investment capital until 31/01 of the next year and recurrent until 31/12 of the year', () => {
    expect(defaultDeadline(deadlineRules, { fiscalYear: 2024, capitalType: 'investment' })).toBe(
      '2025-01-31',
    );
    expect(defaultDeadline(deadlineRules, { fiscalYear: 2024, capitalType: 'recurrent' })).toBe('2024-12-31');
    expect(
      deadlineOf(deadlineRules, { fiscalYear: 2024, capitalType: 'investment', deadline: '2025-06-30' }),
    ).toBe('2025-06-30');
  });

  it('keeps the deadline day open and closes the next Vietnam day', () => {
    expect(isPastDeadline('2025-01-31', '2025-01-31')).toBe(false);
    expect(isPastDeadline('2025-01-31', '2025-02-01')).toBe(true);
  });

  it('allows an extension after the current deadline and up to 31/12 of the year after the fiscal year', () => {
    const a = { id: 'a1', fiscalYear: 2024 };
    expect(extensionLimit(2024)).toBe('2025-12-31');
    expect(() =>
      checkExtension(a, '2025-01-31', { decidedOn: '2025-01-20', deadline: '2025-12-31' }),
    ).not.toThrow();
    const late = caught(() =>
      checkExtension(a, '2025-01-31', { decidedOn: '2025-01-20', deadline: '2026-01-01' }),
    );
    expect(late).toMatchObject({ code: 'invalid_extension', status: 422, details: { limit: '2025-12-31' } });
    expect(
      caught(() => checkExtension(a, '2025-01-31', { decidedOn: '2025-01-20', deadline: '2025-01-31' })),
    ).toMatchObject({
      code: 'invalid_extension',
    });
  });

  it('refuses a deadline file whose rule is not a day of its month, naming the field', () => {
    const broken = {
      source: 'x',
      deadlines: {
        investment: { month: 2, day: 30, yearsAfter: 1 },
        recurrent: { month: 12, day: 31, yearsAfter: 0 },
      },
    };
    expect(() => loadDeadlineRules(broken)).toThrow(/deadlines\.investment: is not a day of that month/);
  });
});

/** An allocation of 2024 created on 01/10/2024, with one request of 100,000,000 VND pending on it. */
const arrange = async () => {
  const store = new InMemoryLedgerStore();
  const allocation = await givenAllocation(store, { fundingLine: 'local', amountVnd: 1_000_000_000 });
  const submitted = await submitRequest(
    { ...testEnv, store, policies: approvalPolicies },
    finance,
    newRequest(allocation.id, 100_000_000),
    crypto.randomUUID(),
  );
  return { store, allocation, request: submitted.result };
};

describe('disbursement deadlines (use cases on the store)', () => {
  it('stores the config deadline on a new allocation', async () => {
    const { allocation } = await arrange();
    expect(allocation.deadline).toBe('2025-01-31');
  });

  it('refuses a submission after the deadline with 409 disbursement_period_closed, reserving nothing', async () => {
    const { store, allocation } = await arrange();
    const error = await submitRequest(
      { ...testEnv, now: at(FIRST_AFTER), store, policies: approvalPolicies },
      finance,
      newRequest(allocation.id, 1_000),
      crypto.randomUUID(),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'disbursement_period_closed',
      status: 409,
      details: { deadline: '2025-01-31' },
    });
    expect((await store.getAllocation(J, allocation.id))?.reservedVnd).toBe(100_000_000);
  });

  it('refuses in the store itself a submission checked before the deadline and written after it', async () => {
    const { store, request } = await arrange();
    const late = { ...request, id: 'late', createdAt: FIRST_AFTER };
    const record = { jurisdiction: J, scope: 'late', fingerprint: 'f', result: {}, createdAt: FIRST_AFTER };
    const error = await store
      .submitRequest(late, record, undefined, { today: '2025-02-01', defaultDeadline: '2025-01-31' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'disbursement_period_closed' });
    expect(await store.getRequest(J, 'late')).toBeUndefined();
  });

  it('expires a pending request at the deadline, releasing its reservation, once whatever the reruns', async () => {
    const { store, allocation, request } = await arrange();
    const run = () => expireOverdueRequests({ store, now: at(FIRST_AFTER), jurisdictions: [J] });
    expect(await expireOverdueRequests({ store, now: at(LAST_MINUTE), jurisdictions: [J] })).toEqual({
      pending: 1,
      expired: 0,
    });
    expect(await run()).toEqual({ pending: 1, expired: 1 });
    expect(await run()).toEqual({ pending: 0, expired: 0 });
    expect(await store.getRequest(J, request.id)).toMatchObject({
      status: 'expired',
      expired: { deadline: '2025-01-31', at: FIRST_AFTER },
    });
    expect(await store.getAllocation(J, allocation.id)).toMatchObject({
      reservedVnd: 0,
      availableVnd: 1_000_000_000,
    });
  });

  it('refuses a decision after the deadline and expires the request on the way', async () => {
    const { store, request } = await arrange();
    const error = await decideRequest(
      {
        ...testEnv,
        now: at(FIRST_AFTER),
        store,
        policies: approvalPolicies,
        publisher: { publish: async () => {} },
      },
      anActor('dist-1', ['approver-district']),
      request.id,
      { decision: 'approve' },
      crypto.randomUUID(),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'disbursement_period_closed', details: { deadline: '2025-01-31' } });
    expect((await store.getRequest(J, request.id))?.status).toBe('expired');
  });

  it('accepts a decision after the default deadline on an extended allocation, and reads no allocation before it', async () => {
    const { store, allocation, request } = await arrange();
    const decide = (now: string, sub: string, group: string) =>
      decideRequest(
        {
          ...testEnv,
          now: at(now),
          store,
          policies: approvalPolicies,
          publisher: { publish: async () => {} },
        },
        anActor(sub, [group]),
        request.id,
        { decision: 'approve' },
        crypto.randomUUID(),
      );
    const reads: string[] = [];
    const getAllocation = store.getAllocation.bind(store);
    store.getAllocation = async (j, id) => {
      reads.push(id);
      return getAllocation(j, id);
    };
    expect((await decide(LAST_MINUTE, 'dist-1', 'approver-district')).replayed).toBe(false);
    expect(reads).toEqual([]);
    await extendDeadline(
      { ...testEnv, store, now: at(FIRST_AFTER) },
      planner,
      allocation.id,
      { decisionNumber: '7/QĐ-UBND', decidedOn: '2025-01-20', deadline: '2025-06-30' },
      'ext-2',
    );
    reads.length = 0;
    expect((await decide(FIRST_AFTER, 'dist-2', 'approver-district')).replayed).toBe(false);
    expect(reads).toEqual([allocation.id]);
    expect((await store.getRequest(J, request.id))?.status).toBe('pending_approval');
  });

  it('expires a request whose last approval reaches the handler after the deadline, posting nothing', async () => {
    const { store, allocation, request } = await arrange();
    const deps = { store, policies: approvalPolicies, now: at(LAST_MINUTE), sleep: async () => {} };
    await applyApprovalEvent(deps, anEvent(request, 'district', anActor('dist-1', ['approver-district'])));
    const late = await applyApprovalEvent(
      { ...deps, now: at(FIRST_AFTER) },
      anEvent(request, 'treasury', anActor('treas-1', ['treasury'])),
    );
    expect(late).toEqual({ outcome: 'expired', deadline: '2025-01-31' });
    expect(await store.listEntries(J, allocation.id)).toEqual([]);
    expect((await store.getAllocation(J, allocation.id))?.reservedVnd).toBe(0);
  });

  it('extends the deadline by decision, records it, and lets a payment through after the old deadline', async () => {
    const { store, allocation } = await arrange();
    const deps = { ...testEnv, store, now: at(FIRST_AFTER) };
    const input = { decisionNumber: '123/QĐ-UBND', decidedOn: '2025-01-20', deadline: '2025-12-31' };
    const extended = await extendDeadline(deps, planner, allocation.id, input, 'ext-1');
    expect(extended.result).toMatchObject({ ...input, previousDeadline: '2025-01-31', by: planner.sub });
    const replay = await extendDeadline(deps, planner, allocation.id, input, 'ext-1');
    expect(replay.replayed).toBe(true);
    const stored = await getAllocation(store, planner, allocation.id);
    expect(stored.deadline).toBe('2025-12-31');
    expect(stored.extensions).toHaveLength(1);
    const submitted = await submitRequest(
      { ...deps, policies: approvalPolicies },
      finance,
      newRequest(allocation.id, 1_000),
      crypto.randomUUID(),
    );
    expect(submitted.result.status).toBe('pending_approval');
    const beyond = await extendDeadline(deps, planner, allocation.id, {
      ...input,
      deadline: '2026-01-31',
    }).catch((e: unknown) => e);
    expect(beyond).toMatchObject({ code: 'invalid_extension', details: { limit: '2025-12-31' } });
  });
});
