import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setSystemClock } from '../../shared/platform/clock.ts';
import { startInProcessRuntime } from '../reliability/support/in-process-runtime.ts';
import { steps } from './support/api-steps.ts';

/**
 * The year-end close end to end, on the local runtime in this process: payments and a pending request
 * in the 2024 plan, then the close after its deadline (31/01/2025) carrying the unspent balance into 2025.
 */
let rt: Awaited<ReturnType<typeof startInProcessRuntime>>;
const IN_THE_YEAR = new Date('2024-11-20T09:00:00+07:00');
const AT_CLOSE = new Date('2025-02-10T09:00:00+07:00');

beforeAll(async () => {
  rt = await startInProcessRuntime({ clock: IN_THE_YEAR });
}, 120_000);
afterAll(async () => {
  await rt?.stop();
  setSystemClock(undefined);
});

describe('year-end close and carry-over', () => {
  it('closes 2024 with a carry-over: the 2025 allocation exists, both chains verify, the closed year refuses writes, a second close replays', async () => {
    setSystemClock(IN_THE_YEAR);
    const s = steps(rt);
    const planner = await s.as('planner-an', 'planner');
    const auditor = await s.as('auditor-an', 'auditor');
    const allocation = await s.createAllocation({ amountVnd: 1_000_000_000 });
    const returned = await s.createAllocation({ amountVnd: 200_000_000, component: 'DA2' });
    const paid = await s.submit(allocation.id, 100_000_000);
    await s.approveAll(paid.body.id);
    const pending = await s.submit(allocation.id, 300_000_000);
    expect(pending.status).toBe(201);

    setSystemClock(AT_CLOSE);
    const body = {
      decisionNumber: '45/QĐ-UBND',
      decidedOn: '2025-02-10',
      carryOver: [{ allocationId: allocation.id }],
    };
    const tooMuch = await rt.call('POST', '/fiscal-years/2024/close', {
      token: planner,
      body: { ...body, carryOver: [{ allocationId: allocation.id, amountVnd: 900_000_001 }] },
    });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error).toMatchObject({
      code: 'invalid_carry_over',
      details: { maxVnd: 900_000_000 },
    });

    const closed = await rt.call('POST', '/fiscal-years/2024/close', {
      token: planner,
      body,
      headers: { 'idempotency-key': 'close-2024' },
    });
    expect(closed.status).toBe(201);
    const figures = closed.body.allocations.find(
      (a: { allocationId: string }) => a.allocationId === allocation.id,
    );
    expect(figures).toMatchObject({
      assignedVnd: 1_000_000_000,
      disbursedVnd: 100_000_000,
      carriedOverVnd: 900_000_000,
      returnedVnd: 0,
    });
    expect(
      closed.body.allocations.find((a: { allocationId: string }) => a.allocationId === returned.id),
    ).toMatchObject({ returnedVnd: 200_000_000, carriedOverVnd: 0 });
    expect((await s.getRequest(pending.body.id)).status).toBe('expired');

    // The next-year allocation, linked to its origin, on the carried-over curve's own row.
    const target = await s.getAllocation(figures.carriedTo);
    expect(target).toMatchObject({
      fiscalYear: 2025,
      carriedFrom: allocation.id,
      assignedVnd: 900_000_000,
      availableVnd: 900_000_000,
      deadline: '2025-12-31',
    });
    expect((await s.getAllocation(allocation.id)).closing).toMatchObject({ carriedTo: target.id });
    for (const id of [allocation.id, target.id]) {
      const verify = await rt.call('GET', `/ledger/verify?allocationId=${id}`, { token: auditor });
      expect(verify.body).toMatchObject({ valid: true });
    }
    const statement = await rt.call('GET', `/allocations/${allocation.id}/statement`, { token: auditor });
    expect(statement.body).toMatchObject({
      disbursedVnd: 100_000_000,
      ledgerTotalVnd: 100_000_000,
      agreesWithAllocation: true,
      closing: { carriedOverVnd: 900_000_000, carriedTo: target.id },
    });
    expect(statement.body.lines.map((l: { kind: string }) => l.kind)).toEqual(['disbursement', 'carry-out']);
    const progress = await rt.call('GET', '/reports/progress?fiscalYear=2025&groupBy=allocation', {
      token: auditor,
    });
    expect(progress.status).toBe(200);
    expect(JSON.stringify(progress.body)).toContain('"carriedOver":true');

    // The closed year refuses a submission and a decision.
    const submission = await s.submit(allocation.id, 1_000_000);
    expect(submission.status).toBe(409);
    expect(submission.body.error.code).toBe('fiscal_year_closed');
    const decision = await s.decide(pending.body.id, await s.as('district-approver', 'approver-district'));
    expect(decision.status).toBe(409);
    expect(decision.body.error.code).toBe('fiscal_year_closed');
    const adjustment = await rt.call('POST', `/allocations/${allocation.id}/adjustments`, {
      token: planner,
      body: { deltaVnd: 1, reason: 'Sau khóa sổ' },
    });
    expect(adjustment.body.error.code).toBe('fiscal_year_closed');
    // And a new allocation in the closed year, written nowhere; 2025 still takes them.
    const late = await rt.call('POST', '/allocations', {
      token: planner,
      body: {
        fiscalYear: 2024,
        fundingLine: 'central',
        capitalType: 'investment',
        component: 'DA1',
        commune: target.commune,
        title: 'Sau khóa sổ',
        amountVnd: 1_000_000,
      },
    });
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({
      code: 'fiscal_year_closed',
      details: { fiscalYear: 2024, decisionNumber: '45/QĐ-UBND' },
    });
    const year = await rt.call('GET', '/allocations?fiscalYear=2024', { token: planner });
    expect(year.body.items.map((a: { title: string }) => a.title)).not.toContain('Sau khóa sổ');
    await s.createAllocation({ fiscalYear: 2025, commune: target.commune, title: 'Năm 2025' });

    // A second close, another key and body: the same close again.
    const again = await rt.call('POST', '/fiscal-years/2024/close', {
      token: planner,
      body: { ...body, carryOver: [] },
    });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(closed.body);
    // And the carried capital takes payments in 2025.
    const next = await s.submit(target.id, 50_000_000);
    expect(next.status).toBe(201);
  }, 60_000);
});
