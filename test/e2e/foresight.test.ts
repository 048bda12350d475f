import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setSystemClock } from '../../shared/platform/clock.ts';
import { startInProcessRuntime } from '../reliability/support/in-process-runtime.ts';
import { TEST_CLOCK_START } from '../support/fixtures.ts';
import { steps } from './support/api-steps.ts';

/**
 * Forecast alerts and reallocation suggestions end to end, on the local runtime in this process, on
 * the fixtures' day (01/10/2024): a plan stalled since May is forecast to miss its deadline, and capital moves from it to a plan paying faster than the curve.
 */
let rt: Awaited<ReturnType<typeof startInProcessRuntime>>;

beforeAll(async () => {
  rt = await startInProcessRuntime();
}, 120_000);
afterAll(async () => {
  await rt?.stop();
  setSystemClock(undefined);
});

describe('forecast alerts', () => {
  it('alerts on an allocation stalled at 40% since May (a lag warning, not critical), once a day', async () => {
    const s = steps(rt);
    const planner = await s.as('planner-an', 'planner');
    const inspector = await s.as('inspector-an', 'inspector');
    // Paid 40% in May, nothing since: on 01/10 it lags the curve (about 60%) by a warning's points, and
    // its pace over the last 90 days says it will end far short. A scope whose lag is critical (nothing
    // paid at all) gets its lag alert only (test/unit/forecast-alerts.test.ts).
    setSystemClock(new Date('2024-05-15T09:00:00+07:00'));
    const late = await s.createAllocation({ commune: 'Dang', component: 'DA4', amountVnd: 3_000_000_000 });
    const paid = await s.approveAll((await s.submit(late.id, 1_200_000_000)).body.id);
    setSystemClock(new Date(TEST_CLOCK_START));
    expect(paid.status).toBe('disbursed');

    const first = await rt.call('POST', '/monitor/runs', { token: planner, body: {} });
    const second = await rt.call('POST', '/monitor/runs', { token: planner, body: {} });
    const alerts = await rt.call('GET', '/alerts?fiscalYear=2024&limit=100', { token: inspector });

    expect(first.status).toBe(202);
    const ofLate = (a: { kind: string; scope: { allocationId?: string } }) =>
      a.kind === 'forecast' && a.scope.allocationId === late.id;
    expect(first.body.alerts.find(ofLate)).toMatchObject({ severity: 'warning', queued: true });
    expect(second.body.alerts.find(ofLate)).toMatchObject({ queued: false });
    const stored = alerts.body.items.filter(ofLate);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      day: '2024-10-01',
      forecast: {
        assignedVnd: 3_000_000_000,
        disbursedVnd: 1_200_000_000,
        deadline: '2025-01-31',
        targetPercent: 100,
        percentile: 'p50',
        marginPoints: 10,
      },
    });
    expect(stored[0].forecast.p50Percent).toBeLessThan(90);
  });
});

describe('reallocation suggestions', () => {
  it('moves capital from a late starter to a fast payer, and POST /reallocations applies the suggestion', async () => {
    const s = steps(rt);
    const planner = await s.as('planner-an', 'planner');
    const community = { fundingLine: 'community', component: 'DA3' };
    const fast = await s.createAllocation({ ...community, commune: 'Lăng', amountVnd: 1_000_000_000 });
    const slow = await s.createAllocation({ ...community, commune: 'A Xan', amountVnd: 2_000_000_000 });
    const paid = await s.submit(fast.id, 900_000_000);
    await s.approveAll(paid.body.id);

    const res = await rt.call('GET', '/reallocations/suggestions?fiscalYear=2024', { token: planner });

    expect(res.status).toBe(200);
    const move = res.body.moves.find((m: { toAllocationId: string }) => m.toAllocationId === fast.id);
    expect(move).toMatchObject({ fromAllocationId: slow.id });
    expect(move.amountVnd % 1_000_000).toBe(0);
    expect(move.reason).toContain('tốc độ giải ngân gấp');
    const body = res.body.reallocations.find((r: { moves: { toAllocationId: string }[] }) =>
      r.moves.some((m) => m.toAllocationId === fast.id),
    );

    const applied = await rt.call('POST', '/reallocations', {
      token: planner,
      headers: { 'idempotency-key': 'suggested-2024-10-01' },
      body: { ...body, decisionNumber: '120/QĐ-UBND', decidedOn: '2024-10-01' },
    });

    expect(applied.status).toBe(201);
    expect(applied.body.status).toBe('applied');
    expect((await s.getAllocation(fast.id)).assignedVnd).toBe(1_000_000_000 + move.amountVnd);
    expect((await s.getAllocation(slow.id)).assignedVnd).toBe(2_000_000_000 - move.amountVnd);
    const after = await rt.call('GET', '/reallocations/suggestions?fiscalYear=2024', { token: planner });
    const again = after.body.moves.find((m: { toAllocationId: string }) => m.toAllocationId === fast.id);
    expect(again?.amountVnd ?? 0).toBeLessThan(move.amountVnd);
  });

  it('refuses a forecast day after today or before the year, and a malformed one', async () => {
    const planner = await steps(rt).as('planner-an', 'planner');
    const call = (q: string) => rt.call('GET', `/reallocations/suggestions?${q}`, { token: planner });

    const future = await call('fiscalYear=2024&asOf=2024-10-02');
    const before = await call('fiscalYear=2024&asOf=2023-12-31');
    const malformed = await call('fiscalYear=2024&asOf=2024-02-30');

    expect(future.status).toBe(422);
    expect(future.body.error).toMatchObject({
      code: 'invalid_forecast_query',
      details: { field: 'query.asOf' },
    });
    expect(before.status).toBe(422);
    expect(malformed.status).toBe(400);
  });
});
