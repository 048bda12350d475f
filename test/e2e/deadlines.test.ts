import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEADLINE_EXPIRY_ID } from '../../shared/ledger/topology.ts';
import { setSystemClock } from '../../shared/platform/clock.ts';
import { startInProcessRuntime } from '../reliability/support/in-process-runtime.ts';
import { steps } from './support/api-steps.ts';

/**
 * Deadlines end to end, on the local runtime in this process, whose clock the test moves across the
 * 2024 plan's deadline (31/01/2025, Vietnam time) as the calendar would.
 */
let rt: Awaited<ReturnType<typeof startInProcessRuntime>>;
const LAST_DAY = new Date('2025-01-31T09:00:00+07:00');
const DAY_AFTER = new Date('2025-02-01T09:00:00+07:00');

beforeAll(async () => {
  rt = await startInProcessRuntime({ clock: LAST_DAY });
}, 120_000);
afterAll(async () => {
  await rt?.stop();
  setSystemClock(undefined);
});

describe('disbursement deadlines', () => {
  it('expires a request still pending at the deadline and releases its reservation', async () => {
    setSystemClock(LAST_DAY);
    const s = steps(rt);
    const allocation = await s.createAllocation({ amountVnd: 1_000_000_000 });
    const submitted = await s.submit(allocation.id, 300_000_000);
    expect(submitted.status).toBe(201);
    expect((await s.getAllocation(allocation.id)).reservedVnd).toBe(300_000_000);

    setSystemClock(DAY_AFTER);
    await rt.local.runScheduled(DEADLINE_EXPIRY_ID);

    const request = await s.getRequest(submitted.body.id);
    expect(request).toMatchObject({ status: 'expired', expired: { deadline: '2025-01-31' } });
    expect(await s.getAllocation(allocation.id)).toMatchObject({
      reservedVnd: 0,
      availableVnd: 1_000_000_000,
    });
  });

  it('refuses a decision after the deadline and expires the request then', async () => {
    setSystemClock(LAST_DAY);
    const s = steps(rt);
    const allocation = await s.createAllocation({ amountVnd: 1_000_000_000 });
    const submitted = await s.submit(allocation.id, 100_000_000);

    setSystemClock(DAY_AFTER);
    const decided = await s.decide(submitted.body.id, await s.as('district-approver', 'approver-district'));

    expect(decided.status).toBe(409);
    expect(decided.body.error).toMatchObject({
      code: 'disbursement_period_closed',
      details: { deadline: '2025-01-31' },
    });
    expect((await s.getRequest(submitted.body.id)).status).toBe('expired');
    expect((await s.getAllocation(allocation.id)).reservedVnd).toBe(0);
  });

  it('refuses a payment after the deadline, and an extension by decision lets it through', async () => {
    setSystemClock(DAY_AFTER);
    const s = steps(rt);
    const planner = await s.as('planner-an', 'planner');
    const allocation = await s.createAllocation({ amountVnd: 1_000_000_000 });
    expect((await s.getAllocation(allocation.id)).deadline).toBe('2025-01-31');

    const refused = await s.submit(allocation.id, 50_000_000);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'disbursement_period_closed',
      details: { deadline: '2025-01-31' },
    });

    const extend = (deadline: string) =>
      rt.call('POST', `/allocations/${allocation.id}/extension`, {
        token: planner,
        body: { decisionNumber: '45/QĐ-UBND', decidedOn: '2025-01-25', deadline },
      });
    const tooLate = await extend('2026-01-31');
    expect(tooLate.status).toBe(422);
    expect(tooLate.body.error).toMatchObject({ code: 'invalid_extension', details: { limit: '2025-12-31' } });
    const extended = await extend('2025-06-30');
    expect(extended.status).toBe(201);
    expect(extended.body).toMatchObject({
      previousDeadline: '2025-01-31',
      deadline: '2025-06-30',
      by: 'planner-an',
    });

    const submitted = await s.submit(allocation.id, 50_000_000);
    expect(submitted.status).toBe(201);
    expect((await s.approveAll(submitted.body.id)).status).toBe('disbursed');

    const statement = await rt.call('GET', `/allocations/${allocation.id}/statement`, {
      token: await s.as('auditor-x', 'auditor'),
    });
    expect(statement.body).toMatchObject({
      deadline: '2025-06-30',
      extensions: [{ decisionNumber: '45/QĐ-UBND', previousDeadline: '2025-01-31', deadline: '2025-06-30' }],
      disbursedVnd: 50_000_000,
    });
  });
});
