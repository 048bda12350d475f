import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setSystemClock } from '../../shared/platform/clock.ts';
import { startInProcessRuntime } from '../reliability/support/in-process-runtime.ts';
import { steps } from './support/api-steps.ts';

/**
 * A stall over Tết, end to end (issue 16): a request sent the Friday before Tết Ất Tỵ (29/01/2025, the
 * holiday 27/01 to 31/01) and not decided is not a stalled approval eleven calendar days later, when
 * it has waited two working days; a week of working days later it is. Through the HTTP API on the
 * local runtime, its clock moved as the days pass (tokens made on each day).
 */
let rt: Awaited<ReturnType<typeof startInProcessRuntime>>;

beforeAll(async () => {
  rt = await startInProcessRuntime({ clock: new Date('2025-01-24T09:00:00+07:00') });
}, 120_000);
afterAll(async () => {
  await rt?.stop();
  setSystemClock(undefined);
});

/**
 * The day's monitor run for 2025 over the API, then the stored stalled-approval alerts of that day that
 * list `requestId` (GET /alerts, as an inspector reads them).
 */
const stalledOn = async (instant: string, requestId: string) => {
  setSystemClock(new Date(instant));
  const s = steps(rt);
  const run = await rt.call('POST', '/monitor/runs', {
    token: await s.as('planner-tet', 'planner'),
    body: { fiscalYear: 2025 },
  });
  expect(run.status, JSON.stringify(run.body)).toBe(202);
  const alerts = await rt.call('GET', '/alerts?fiscalYear=2025&limit=100', {
    token: await s.as('inspector-tet', 'inspector'),
  });
  expect(alerts.status).toBe(200);
  const day = instant.slice(0, 10);
  return (
    alerts.body.items as {
      kind: string;
      day: string;
      severity: string;
      stalledRequests: { requestId: string; waitingDays: number }[];
    }[]
  ).filter(
    (a) => a.kind === 'stalled' && a.day === day && a.stalledRequests.some((r) => r.requestId === requestId),
  );
};

describe('a stall over Tết', () => {
  it('is not flagged after Tết on two working days, and is after seven', async () => {
    const s = steps(rt);
    const allocation = await s.createAllocation({ fiscalYear: 2025, commune: 'Dang' });
    const submitted = await s.submit(allocation.id, 10_000_000);
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    const requestId: string = submitted.body.id;

    // Tuesday 04/02/2025: eleven calendar days, two working days (03/02 and 04/02).
    expect(await stalledOn('2025-02-04T09:00:00+07:00', requestId)).toEqual([]);
    // Tuesday 11/02/2025: seven working days (03/02 to 07/02, 10/02 and 11/02), the warning's limit.
    const later = await stalledOn('2025-02-11T09:00:00+07:00', requestId);
    expect(later.length).toBeGreaterThan(0);
    expect(later.every((a) => a.severity === 'warning')).toBe(true);
    expect(later[0]?.stalledRequests.find((r) => r.requestId === requestId)?.waitingDays).toBe(7);
  });
});
