import { describe, expect, it } from 'vitest';
import { applyApprovalEvent } from '../../shared/ledger/app/apply-approval-event.ts';
import { submitRequest } from '../../shared/ledger/app/requests.ts';
import type { ApprovalEvent } from '../../shared/ledger/domain/disbursement-request.ts';
import { approvalPolicies, approvalPolicy } from '../../shared/platform/config/approval-policies/index.ts';
import { errorResponse } from '../../shared/platform/http/error-response.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../../shared/platform/tenancy.ts';
import { injectFaults, throttled, transactionConflict } from '../support/fault-injection.ts';
import { actor, finance, givenAllocation, newRequest, testEnv } from '../support/fixtures.ts';
import { freshTable } from '../support/local-aws.ts';

/** The jurisdiction of this file's data (its fixtures name none: the upgrade default). */
const J = UPGRADE_DEFAULT_JURISDICTION;

const setup = async () => {
  const table = await freshTable('faults');
  const deps = { store: table.store, policies: approvalPolicies, ...testEnv, sleep: async () => {} };
  return { ...table, deps };
};

describe('faults DynamoDB Local never produces, injected at the SDK layer', () => {
  it('answers 503 with Retry-After on a transaction conflict during submission, and writes nothing', async () => {
    const { raw, store, deps } = await setup();
    const allocation = await givenAllocation(store, { amountVnd: 100_000_000 });
    const faults = injectFaults(raw, {
      command: 'TransactWriteItemsCommand',
      fail: () => true,
      error: () => transactionConflict(3),
      where: 'before-retries',
    });
    const failure = await submitRequest(
      deps,
      finance,
      newRequest(allocation.id, 10_000_000),
      'conflict-key-01',
    ).catch((e: unknown) => e);
    const response = errorResponse(failure, 'test');
    expect(faults.injected).toBeGreaterThan(0);
    expect(response.statusCode).toBe(503);
    expect(response.headers?.['retry-after']).toBe('1');
    expect(await store.getAllocation(J, allocation.id)).toMatchObject({
      reservedVnd: 0,
      availableVnd: 100_000_000,
    });
    expect(
      (await store.listRequests({ jurisdiction: J, allocationId: allocation.id }, 10)).items,
    ).toHaveLength(0);
    expect(await store.getIdempotency(J, `submit-request##${finance.sub}#conflict-key-01`)).toBeUndefined();
  });

  it('lets the SDK retry throttled calls, so a submission still lands once', async () => {
    const { raw, store, deps } = await setup();
    const allocation = await givenAllocation(store, { amountVnd: 100_000_000 });
    const faults = injectFaults(raw, {
      command: 'TransactWriteItemsCommand',
      fail: (call) => call <= 2,
      error: throttled,
      where: 'inside-retries',
    });
    const result = await submitRequest(
      deps,
      finance,
      newRequest(allocation.id, 10_000_000),
      'throttle-key-01',
    );
    expect(faults.injected).toBe(2);
    expect(result.replayed).toBe(false);
    expect(await store.getAllocation(J, allocation.id)).toMatchObject({ reservedVnd: 10_000_000 });
  });

  it('fails cleanly with 503 when throttling outlasts the retries, and writes nothing', async () => {
    const { raw, store, deps } = await setup();
    const allocation = await givenAllocation(store, { amountVnd: 100_000_000 });
    injectFaults(raw, {
      command: 'TransactWriteItemsCommand',
      fail: () => true,
      error: throttled,
      where: 'inside-retries',
    });
    const failure = await submitRequest(
      deps,
      finance,
      newRequest(allocation.id, 10_000_000),
      'throttle-key-02',
    ).catch((e: unknown) => e);
    expect(errorResponse(failure, 'test').statusCode).toBe(503);
    expect(await store.getAllocation(J, allocation.id)).toMatchObject({ reservedVnd: 0 });
  });

  it('retries the posting past transaction conflicts and posts exactly once', async () => {
    const { raw, store, deps } = await setup();
    const allocation = await givenAllocation(store, { amountVnd: 100_000_000, fundingLine: 'local' });
    const request = (
      await submitRequest(deps, finance, newRequest(allocation.id, 10_000_000), 'post-key-0001')
    ).result;
    const approve = (level: string, sub: string): ApprovalEvent => ({
      eventId: `${level}-${sub}`,
      requestId: request.id,
      fundingLine: 'local',
      level,
      decision: 'approve',
      actor: actor(sub, approvalPolicy.levels[level]?.group ?? ''),
      decidedAt: new Date().toISOString(),
    });
    await applyApprovalEvent(deps, approve('district', 'approver-d'));
    const faults = injectFaults(raw, {
      command: 'TransactWriteItemsCommand',
      fail: (call) => call <= 3,
      error: () => transactionConflict(3),
      where: 'before-retries',
    });
    const result = await applyApprovalEvent(deps, approve('treasury', 'treasurer-t'));
    expect(faults.injected).toBe(3);
    expect(result.outcome).toBe('disbursed');
    expect(await store.listEntries(J, allocation.id)).toHaveLength(1);
    expect(await store.getAllocation(J, allocation.id)).toMatchObject({
      reservedVnd: 0,
      disbursedVnd: 10_000_000,
    });
  });
});
