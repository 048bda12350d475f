import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../shared/platform/roles.ts';
import { vnDateOf } from '../../shared/platform/vn-calendar.ts';
import { steps } from './support/api-steps.ts';
import { type Runtime, startRuntime } from './support/local-runtime.ts';

let rt: Runtime;
let s: ReturnType<typeof steps>;
// The series is of the current year, whose postings land today; Tây Giang district's communes ended on
// 30/06/2025, so the allocations are Đà Nẵng's, in communes that replaced them.
const year = Number(vnDateOf(new Date()).slice(0, 4));
const jurisdiction = 'da-nang';

beforeAll(async () => {
  // The current year's series, its postings landing today: the wall clock.
  rt = await startRuntime({ clock: 'wall' });
  s = steps(rt, { jurisdiction });
});
afterAll(async () => {
  await rt?.stop();
});

const series = async (token: string, query = `fiscalYear=${year}`) =>
  rt.call('GET', `/reports/disbursement-series?${query}`, { token });

describe('GET /reports/disbursement-series', () => {
  it('adds each posting to the cumulative line of its capital type on its Vietnam day, next to the expected curve', async () => {
    const roads = await s.createAllocation({
      fiscalYear: year,
      commune: 'Avương',
      amountVnd: 1_000_000_000,
    });
    const training = await s.createAllocation({
      fiscalYear: year,
      commune: 'Hùng Sơn',
      capitalType: 'recurrent',
      component: 'DA4',
      amountVnd: 400_000_000,
    });
    const planner = await s.as('planner-an', 'planner');
    const before = await series(planner);
    expect(before.status).toBe(200);
    expect(before.body.expected[0]).toEqual({ date: `${year}-01-01`, percent: 0 });
    expect(before.body.expected.at(-1)).toEqual({ date: `${year + 1}-01-31`, percent: 100 });
    expect(before.body.series).toEqual([
      { capitalType: 'investment', assignedVnd: 1_000_000_000, disbursedVnd: 0, points: [] },
      { capitalType: 'recurrent', assignedVnd: 400_000_000, disbursedVnd: 0, points: [] },
    ]);

    for (const [allocation, amount] of [
      [roads.id, 250_000_000],
      [roads.id, 50_000_000],
      [training.id, 40_000_000],
    ] as const) {
      const submitted = await s.submit(allocation, amount);
      expect(submitted.status).toBe(201);
      expect((await s.approveAll(submitted.body.id)).status).toBe('disbursed');
    }

    const after = await series(planner);
    const today = vnDateOf(new Date());
    expect(after.body.series).toEqual([
      {
        capitalType: 'investment',
        assignedVnd: 1_000_000_000,
        disbursedVnd: 300_000_000,
        points: [{ date: today, cumulativeVnd: 300_000_000 }],
      },
      {
        capitalType: 'recurrent',
        assignedVnd: 400_000_000,
        disbursedVnd: 40_000_000,
        points: [{ date: today, cumulativeVnd: 40_000_000 }],
      },
    ]);

    // A commune-scoped reader sees their commune's line only.
    const hungSon = await rt.token('auditor-hung-son', ['auditor'], { commune: 'Hùng Sơn', jurisdiction });
    expect((await series(hungSon)).body.series).toEqual([
      {
        capitalType: 'recurrent',
        assignedVnd: 400_000_000,
        disbursedVnd: 40_000_000,
        points: [{ date: today, cumulativeVnd: 40_000_000 }],
      },
    ]);
  }, 120_000);

  it('answers every role, refuses anonymous callers, and names the field of a bad year', async () => {
    for (const role of ROLES) {
      expect((await series(await rt.token(`series-${role}`, [role], { jurisdiction }))).status, role).toBe(
        200,
      );
    }
    expect((await rt.call('GET', '/reports/disbursement-series')).status).toBe(401);
    const bad = await series(await s.as('planner-an', 'planner'), 'fiscalYear=24');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_request');
    expect(bad.body.error.message).toContain('fiscalYear');
    const unknown = await series(await s.as('planner-an', 'planner'), 'fiscalYear=2024&groupBy=commune');
    expect(unknown.status).toBe(400);
  });
});
