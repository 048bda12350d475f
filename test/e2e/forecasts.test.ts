import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDynamoClient } from '../../local/aws-local.ts';
import { DynamoDaySnapshotRepository } from '../../shared/monitoring/adapters/day-snapshot-repository.ts';
import { createDocumentClient } from '../../shared/platform/aws/aws-clients.ts';
import { setSystemClock } from '../../shared/platform/clock.ts';
import { ROLES } from '../../shared/platform/roles.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../../shared/platform/tenancy.ts';
import { startInProcessRuntime } from '../reliability/support/in-process-runtime.ts';
import { steps } from './support/api-steps.ts';

/**
 * GET /forecasts end to end, on the local runtime in this process, whose clock the test moves through
 * 2024 so that postings, submissions and decisions land on the days a past asOf must tell apart.
 */
let rt: Awaited<ReturnType<typeof startInProcessRuntime>>;
let s: ReturnType<typeof steps>;
const day = (date: string) => new Date(`${date}T09:00:00+07:00`);
const TODAY = day('2024-10-01');
let roads: { id: string };
let housing: { id: string };

const forecasts = async (query: string, token?: string) =>
  rt.call('GET', `/forecasts?${query}`, { token: token ?? (await s.as('planner-an', 'planner')) });
// biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON the API answered.
const rowOf = (body: { rows: any[] }, key: string) => body.rows.find((r) => r.key === key);

beforeAll(async () => {
  rt = await startInProcessRuntime({ clock: day('2024-06-10') });
  s = steps(rt);
  setSystemClock(day('2024-06-10'));
  roads = await s.createAllocation({ amountVnd: 1_000_000_000 });
  housing = await s.createAllocation({
    commune: 'A Nông',
    capitalType: 'recurrent',
    component: 'DA5',
    amountVnd: 400_000_000,
  });
  await s.approveAll((await s.submit(roads.id, 200_000_000)).body.id);
  // Submitted on 20/06, paid on 05/07: in the pipeline on 30/06.
  setSystemClock(day('2024-06-20'));
  const waiting = await s.submit(roads.id, 100_000_000);
  setSystemClock(day('2024-07-05'));
  await s.approveAll(waiting.body.id);
  // Submitted and rejected in August: in no pipeline of 30/06, nor of today.
  setSystemClock(day('2024-08-01'));
  const rejected = await s.submit(housing.id, 50_000_000);
  const approver = await s.as('district-approver', 'approver-district');
  expect((await s.decide(rejected.body.id, approver, 'reject')).status).toBe(202);
  await s.waitPast(rejected.body.id, 'district');
  await s.approveAll((await s.submit(housing.id, 80_000_000)).body.id);
  setSystemClock(TODAY);
}, 240_000);
afterAll(async () => {
  await rt?.stop();
  setSystemClock(undefined);
});

describe('GET /forecasts', () => {
  it('forecasts from a past day with what was known then: disbursed and pipeline at asOf, a band at 31/12 and at the deadline', async () => {
    const res = await forecasts('asOf=2024-06-30&groupBy=allocation');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ fiscalYear: 2024, asOf: '2024-06-30', groupBy: 'allocation' });
    const row = rowOf(res.body, roads.id);
    expect(row).toMatchObject({
      capitalType: 'investment',
      assignedVnd: 1_000_000_000,
      disbursedVnd: 200_000_000,
      pipelineVnd: 100_000_000,
      rate: 0.2,
      deadline: '2025-01-31',
      inputs: { shapeSource: 'curve', pastYears: 0, pipelineRate: 0.1 },
    });
    for (const band of [row.yearEnd, row.atDeadline]) {
      expect(band.p10).toBeGreaterThanOrEqual(0.2);
      expect(band.p10).toBeLessThanOrEqual(band.p50);
      expect(band.p50).toBeGreaterThanOrEqual(0.2 + 0.9 * 0.1);
      expect(band.p90).toBeLessThanOrEqual(1);
    }
    expect(row.yearEnd.on).toBe('2024-12-31');
    expect(row.atDeadline.on).toBe('2025-01-31');
    // Nothing was paid on housing by 30/06; its deadline is 31/12 (recurrent).
    expect(rowOf(res.body, housing.id)).toMatchObject({
      disbursedVnd: 0,
      pipelineVnd: 0,
      deadline: '2024-12-31',
    });
  });

  it('defaults asOf to today in Vietnam and counts everything paid by then; a rejected request is no pipeline', async () => {
    const res = await forecasts('groupBy=allocation');
    expect(res.body.asOf).toBe('2024-10-01');
    expect(rowOf(res.body, roads.id)).toMatchObject({ disbursedVnd: 300_000_000, pipelineVnd: 0, rate: 0.3 });
    expect(rowOf(res.body, housing.id)).toMatchObject({
      disbursedVnd: 80_000_000,
      pipelineVnd: 0,
      rate: 0.2,
    });
  });

  it('leaks nothing from after asOf: a payment made today leaves the forecast from 30/06 as it was', async () => {
    const before = await forecasts('asOf=2024-06-30&fiscalYear=2024');
    await s.approveAll((await s.submit(roads.id, 400_000_000)).body.id);
    await s.submit(roads.id, 100_000_000);
    const after = await forecasts('asOf=2024-06-30&fiscalYear=2024');
    expect(after.body).toEqual(before.body);
    const now = rowOf((await forecasts('asOf=2024-10-01')).body, roads.id);
    expect(now).toMatchObject({ disbursedVnd: 700_000_000, pipelineVnd: 100_000_000 });
  }, 120_000);

  it('groups by commune, funding line and project, and shows a commune-scoped reader their commune only', async () => {
    const byCommune = await forecasts('groupBy=commune');
    expect(
      byCommune.body.rows.map((r: { key: string; capitalType: string }) => `${r.key}/${r.capitalType}`),
    ).toEqual(['A Tiêng/investment', 'A Nông/recurrent']);
    expect((await forecasts('groupBy=project')).body.rows.map((r: { key: string }) => r.key).sort()).toEqual([
      'DA1',
      'DA5',
    ]);
    expect((await forecasts('groupBy=fundingLine')).body.rows).toHaveLength(2);
    const aNong = await rt.token('inspector-a-nong', ['inspector'], { commune: 'A Nông' });
    const mine = await forecasts('groupBy=allocation', aNong);
    expect(mine.status).toBe(200);
    expect(mine.body.rows.map((r: { key: string }) => r.key)).toEqual([housing.id]);
  });

  it('forecasts from a day before every allocation of the year was recorded (a history entered later) without failing', async () => {
    // 2023's plan recorded today: the day asked for precedes its first allocation's record.
    const late = await s.createAllocation({ fiscalYear: 2023, amountVnd: 500_000_000 });

    const res = await forecasts('fiscalYear=2023&asOf=2023-12-31&groupBy=allocation');

    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(rowOf(res.body, late.id)).toMatchObject({ disbursedVnd: 0, pipelineVnd: 0 });
  });

  it('refuses a bad groupBy, asOf or fiscalYear with 422 invalid_forecast_query naming the field', async () => {
    for (const [query, field] of [
      ['groupBy=district', 'query.groupBy'],
      ['asOf=2024-02-30', 'query.asOf'],
      ['asOf=2024-10-02', 'query.asOf'],
      ['fiscalYear=24', 'query.fiscalYear'],
      ['fiscalYear=2025', 'query.asOf'],
    ] as const) {
      const res = await forecasts(query);
      expect(res.status, query).toBe(422);
      expect(res.body.error.code, query).toBe('invalid_forecast_query');
      expect(res.body.error.details.field, query).toBe(field);
    }
    const unknown = await forecasts('by=commune');
    expect(unknown.status).toBe(400);
  });

  it('answers those who read progress, refuses the other roles and anonymous callers', async () => {
    for (const role of ROLES) {
      const res = await forecasts('', await rt.token(`forecast-${role}`, [role]));
      expect(res.status, role).toBe(['inspector', 'auditor', 'planner'].includes(role) ? 200 : 403);
    }
    expect((await rt.call('GET', '/forecasts')).status).toBe(401);
  });

  it("after the daily job, reads a past day's pipeline from its day snapshot: the same forecast", async () => {
    const before = await forecasts('asOf=2024-06-30&groupBy=allocation');
    // The daily job of today: every closed day of the year (62 a run), with its pipeline.
    for (let i = 0; i < 5; i++) await rt.local.runScheduled('ledger-digest');
    const db = createDocumentClient(localDynamoClient(rt.dynamoEndpoint));
    const snapshots = new DynamoDaySnapshotRepository(db, rt.local.tableName);
    const kept = await snapshots.getDaySnapshots(UPGRADE_DEFAULT_JURISDICTION, 2024, [
      '2024-06-30',
      '2024-09-30',
    ]);
    expect(kept.get('2024-06-30')?.pipeline).toEqual({ [roads.id]: 100_000_000 });
    expect(kept.get('2024-09-30')?.pipeline).toEqual({});

    const after = await forecasts('asOf=2024-06-30&groupBy=allocation');
    expect(after.body).toEqual(before.body);
    expect(rowOf(after.body, roads.id)).toMatchObject({ pipelineVnd: 100_000_000 });
  }, 240_000);
});
