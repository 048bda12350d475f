import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EntryQuery } from '../../shared/audit/app/ports.ts';
import { forecastReport } from '../../shared/forecast/app/forecast-report.ts';
import {
  type DayPipelineRequest,
  nextPipeline,
  pipelineVndAt,
} from '../../shared/forecast/domain/pipeline.ts';
import type { Allocation } from '../../shared/ledger/domain/allocation.ts';
import type { DisbursementRequest } from '../../shared/ledger/domain/disbursement-request.ts';
import { summariseClosedDays } from '../../shared/monitoring/app/day-summaries.ts';
import type { DaySnapshotStore, DaySummaryStore } from '../../shared/monitoring/app/ports.ts';
import { monitoringConfig } from '../../shared/monitoring/config/monitoring.ts';
import type { DaySnapshot } from '../../shared/monitoring/domain/day-snapshot.ts';
import { type DaySummary, seriesDayOf } from '../../shared/monitoring/domain/day-summary.ts';
import { jurisdictionOfScope, scopeOf } from '../../shared/platform/access.ts';
import { deadlineRules } from '../../shared/platform/config/fiscal-year/index.ts';
import { addDays, type IsoDate, vnMidnight } from '../../shared/platform/vn-calendar.ts';
import { anActor, anAllocation, aRequest } from './support/domain-fixtures.ts';

const FY = 2026;
const START: IsoDate = `${FY}-03-01`;
const ACTOR = anActor('inspector-1', ['inspector']);
const J = jurisdictionOfScope(scopeOf(ACTOR));
const ALLOCATIONS = ['a', 'b', 'c'];
const HOUR = 3_600_000;

const endOf = (date: IsoDate) => vnMidnight(addDays(date, 1));
const at = (day: number, hour: number) => new Date(vnMidnight(addDays(START, day)).getTime() + hour * HOUR);

/** A request's life: submitted, then maybe decided (and that decision applied some hours later). */
interface Life {
  id: string;
  allocationId: string;
  createdAt: Date;
  amountVnd: number;
  recoveryVnd: number;
  kind: 'direct' | 'payment';
  ending?: { how: 'approved' | 'rejected' | 'cancelled' | 'expired'; at: Date; appliedAt: Date };
}

const arbitraryLives = fc
  .array(
    fc.record({
      allocation: fc.constantFrom(...ALLOCATIONS, 'other-year'),
      day: fc.integer({ min: -5, max: 40 }),
      hour: fc.integer({ min: 0, max: 23 }),
      amountVnd: fc.integer({ min: 1, max: 1_000 }),
      payment: fc.boolean(),
      ending: fc.option(
        fc.record({
          how: fc.constantFrom(
            'approved' as const,
            'rejected' as const,
            'cancelled' as const,
            'expired' as const,
          ),
          afterHours: fc.integer({ min: 0, max: 24 * 20 }),
          // Mostly applied at once; sometimes hours or days later (a decision left on its queue).
          appliedAfterHours: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 24 * 5 })),
        }),
      ),
    }),
    { maxLength: 40 },
  )
  .map((raw) =>
    raw.map((r, i): Life => {
      const createdAt = at(r.day, r.hour);
      const decided = r.ending && new Date(createdAt.getTime() + r.ending.afterHours * HOUR);
      return {
        id: `r${i}`,
        allocationId: r.allocation,
        createdAt,
        amountVnd: r.amountVnd,
        recoveryVnd: r.payment ? Math.floor(r.amountVnd / 3) : 0,
        kind: r.payment ? 'payment' : 'direct',
        ...(r.ending && decided
          ? {
              ending: {
                how: r.ending.how,
                at: decided,
                // Only a decision goes through the queue; a cancellation or an expiry is written at once.
                appliedAt:
                  r.ending.how === 'approved' || r.ending.how === 'rejected'
                    ? new Date(decided.getTime() + r.ending.appliedAfterHours * HOUR)
                    : decided,
              },
            }
          : {}),
      };
    }),
  );

/** The request as the table holds it at `now`: settled once its decision was applied, else pending. */
const asStoredAt = (life: Life, now: Date): DisbursementRequest => {
  const base = aRequest({
    id: life.id,
    allocationId: life.allocationId,
    fiscalYear: FY,
    amountVnd: life.amountVnd,
    kind: life.kind,
    ...(life.kind === 'payment' ? { recoveryVnd: life.recoveryVnd } : {}),
    createdAt: life.createdAt.toISOString(),
    updatedAt: life.createdAt.toISOString(),
  });
  const ending = life.ending;
  if (!ending || ending.appliedAt.getTime() > now.getTime()) return base;
  const when = ending.at.toISOString();
  switch (ending.how) {
    case 'approved':
    case 'rejected':
      return {
        ...base,
        status: ending.how === 'approved' ? 'disbursed' : 'rejected',
        updatedAt: ending.appliedAt.toISOString(),
        approvals: [
          {
            level: 'district',
            decision: ending.how === 'approved' ? 'approve' : 'reject',
            by: 'd-1',
            at: when,
            eventId: `e-${life.id}`,
          },
        ],
      };
    case 'cancelled':
      return { ...base, status: 'cancelled', updatedAt: when };
    case 'expired':
      return { ...base, status: 'expired', updatedAt: when, expired: { deadline: '2026-12-31', at: when } };
  }
};

/** Allocation id → the reconstruction (`pipelineVndAt`) at `end`, zeros left out. */
const reconstruction = (requests: readonly DisbursementRequest[], end: Date) =>
  Object.fromEntries(
    ALLOCATIONS.map(
      (id) =>
        [
          id,
          pipelineVndAt(
            requests.filter((r) => r.allocationId === id),
            end,
          ),
        ] as const,
    ).filter(([, vnd]) => vnd !== 0),
  );

describe('a day pipeline kept incrementally', () => {
  it('equals the whole reconstruction at the end of every day, from a pending set and the day’s submissions', () => {
    fc.assert(
      fc.property(arbitraryLives, fc.integer({ min: -5, max: 30 }), (lives, firstDay) => {
        // Read long after: every decision applied.
        const requests = lives.map((l) => asStoredAt(l, at(400, 0)));
        const inYear = (r: DayPipelineRequest) => ALLOCATIONS.includes(r.allocationId);
        let previous: { ids: string[]; end: Date } | undefined;
        for (let day = firstDay; day <= 45; day++) {
          const date = addDays(START, day);
          const start = vnMidnight(date);
          const end = endOf(date);
          const candidates = previous
            ? requests.filter(
                (r) =>
                  previous?.ids.includes(r.id) ||
                  (r.createdAt >= start.toISOString() && r.createdAt < end.toISOString()),
              )
            : requests.filter((r) => r.createdAt < end.toISOString());
          const next = nextPipeline(previous, candidates, end, inYear);
          expect(next.pipeline).toEqual(reconstruction(requests, end));
          expect(next.settledLate).toEqual([]);
          previous = { ids: next.ids, end };
        }
      }),
      { numRuns: 200 },
    );
  });
});

/** The stores the daily job and the forecast read, in memory; the requests as they stand at `now`. */
class Store implements DaySnapshotStore, DaySummaryStore {
  readonly snapshots = new Map<IsoDate, DaySnapshot>();
  readonly pendingSets = new Map<IsoDate, string[]>();
  requestReads = 0;
  now = at(0, 0);
  constructor(
    readonly lives: readonly Life[],
    readonly allocations: Allocation[],
  ) {}
  get requests() {
    return this.lives
      .filter((l) => l.createdAt.getTime() < this.now.getTime())
      .map((l) => asStoredAt(l, this.now));
  }
  async listAllocations() {
    return this.allocations;
  }
  async listAllocationsOfYear(_j: string, fiscalYear: number) {
    return this.allocations.filter((a) => a.fiscalYear === fiscalYear);
  }
  async listPendingRequests() {
    return this.requests.filter((r) => r.status === 'pending_approval');
  }
  async queryEntries(_query: EntryQuery) {
    return { items: [] };
  }
  async listRequestsCreatedBetween(_j: string, from?: string, to?: string) {
    this.requestReads++;
    return this.requests.filter((r) => r.createdAt >= (from ?? '') && r.createdAt < (to ?? '\uffff'));
  }
  async listRequestsSubmittedBetween(j: string, from: string, to: string) {
    return this.listRequestsCreatedBetween(j, from, to);
  }
  async getRequests(_j: string, ids: readonly string[]) {
    this.requestReads++;
    return this.requests.filter((r) => ids.includes(r.id));
  }
  async putDaySnapshot(s: DaySnapshot) {
    this.snapshots.set(s.date, structuredClone(s));
  }
  async getDaySnapshots(_j: string, _fy: number, dates: readonly string[]) {
    return new Map(
      dates.flatMap((d) => {
        const s = this.snapshots.get(d);
        return s ? [[d, structuredClone(s)] as const] : [];
      }),
    );
  }
  async lastSnapshotDay() {
    return [...this.snapshots.keys()].sort().at(-1);
  }
  async putPendingSet(_j: string, _fy: number, date: string, ids: readonly string[]) {
    this.pendingSets.set(date, [...ids]);
    return 1;
  }
  async getPendingSet(_j: string, _fy: number, date: string) {
    return this.pendingSets.get(date);
  }
  readonly summaries = new Map<string, DaySummary>();
  async putDaySummaries(summaries: readonly DaySummary[]) {
    for (const s of summaries) this.summaries.set(s.date, s);
  }
  async listDaySummaries() {
    return [...this.summaries.values()];
  }
  async listSeriesDays(_j: string, _fy: number, commune?: string) {
    return [...this.summaries.values()].map((s) => seriesDayOf(s, commune));
  }
  async lastSummarisedDay() {
    return [...this.summaries.keys()].sort().at(-1);
  }
}

const allocations = ALLOCATIONS.map((id) =>
  anAllocation({ id, fiscalYear: FY, assignedVnd: 1_000_000, createdAt: `${FY}-01-05T00:00:00.000Z` }),
);

const runJob = (store: Store, maxDays = 1000) =>
  summariseClosedDays(
    { store, entries: store, summaries: store, snapshots: store, requests: store, now: () => store.now },
    [J],
    { maxDays, fiscalYears: [FY] },
  );

describe('the daily job’s pipelines', () => {
  it('equal the reconstruction from the requests as they stand at each run, decisions applied late included', async () => {
    await fc.assert(
      fc.asyncProperty(
        arbitraryLives,
        fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 3, max: 20 }),
        async (lives, hoursAfterMidnight, maxDays) => {
          const store = new Store(lives, allocations);
          // Daily runs (some at a few minutes past midnight, before a late decision is applied), a
          // first run catching up on the year `maxDays` days at a time.
          for (let day = 0; day <= 40; day++) {
            store.now = new Date(
              at(day, 0).getTime() + ((hoursAfterMidnight[day % hoursAfterMidnight.length] ?? 0) * HOUR) / 4,
            );
            await runJob(store, maxDays);
          }
          const requests = store.requests;
          for (const [date, snapshot] of store.snapshots) {
            // The run that follows a late decision's application takes it out: equal to the table as of the last run.
            expect(snapshot.pipeline, date).toEqual(reconstruction(requests, endOf(date)));
          }
        },
      ),
      { numRuns: 120 },
    );
  }, 120_000);

  it('take a request decided before a summarised day’s end, but applied after that day was summarised, out of it once', async () => {
    const lives: Life[] = [
      {
        id: 'late',
        allocationId: 'a',
        createdAt: at(1, 9),
        amountVnd: 500,
        recoveryVnd: 0,
        kind: 'direct',
        ending: { how: 'approved', at: at(2, 23.9), appliedAt: at(4, 1) },
      },
      {
        id: 'waiting',
        allocationId: 'a',
        createdAt: at(2, 9),
        amountVnd: 70,
        recoveryVnd: 0,
        kind: 'direct',
      },
    ];
    const store = new Store(lives, allocations);
    store.now = at(4, 0.5);
    await runJob(store);
    // Summarised before the decision was applied: the request still counts on days 2 and 3.
    expect(store.snapshots.get(addDays(START, 3))?.pipeline).toEqual({ a: 570 });
    store.now = at(5, 0.5);
    await runJob(store);
    await runJob(store);
    expect(store.snapshots.get(addDays(START, 1))?.pipeline).toEqual({ a: 500 });
    for (const day of [2, 3, 4]) {
      const snapshot = store.snapshots.get(addDays(START, day));
      expect(snapshot?.pipeline).toEqual({ a: 70 });
      expect(snapshot?.settledLate ?? []).toEqual(day === 4 ? [] : ['late']);
    }
  });
  it('take a request settled late out only of the days it was submitted by, when another settled late went back further', async () => {
    // Both decisions applied on day 6, after the job had summarised days 1–5 with both still waiting.
    const lives: Life[] = [
      {
        id: 'early',
        allocationId: 'a',
        createdAt: at(-5, 0),
        amountVnd: 1,
        recoveryVnd: 0,
        kind: 'direct',
        ending: { how: 'approved', at: at(1, 12), appliedAt: at(6, 1) },
      },
      {
        id: 'recent',
        allocationId: 'a',
        createdAt: at(5, 7),
        amountVnd: 10,
        recoveryVnd: 0,
        kind: 'direct',
        ending: { how: 'approved', at: at(5, 13), appliedAt: at(6, 1) },
      },
    ];
    const store = new Store(lives, allocations);
    store.now = at(6, 0);
    await runJob(store);
    expect(store.snapshots.get(addDays(START, 5))?.pipeline).toEqual({ a: 11 });
    store.now = at(7, 0);
    await runJob(store);
    // 'recent' was never counted before day 5: days 1–4 lose only 'early'.
    for (const day of [1, 2, 3, 4]) {
      expect(store.snapshots.get(addDays(START, day))?.pipeline, `day ${day}`).toEqual({});
      expect(store.snapshots.get(addDays(START, day))?.settledLate, `day ${day}`).toEqual(['early']);
    }
    expect(store.snapshots.get(addDays(START, 5))?.pipeline).toEqual({});
    expect(store.snapshots.get(addDays(START, 5))?.settledLate).toEqual(['early', 'recent']);
  });
});

describe('the forecast as of a past day', () => {
  const forecastAsOf = async (store: Store, asOf: IsoDate) => {
    store.requestReads = 0;
    const report = await forecastReport(
      {
        progress: store,
        audit: store,
        snapshots: store,
        requests: store,
        config: monitoringConfig,
        deadlines: deadlineRules,
        now: () => store.now,
      },
      ACTOR,
      { fiscalYear: String(FY), asOf, groupBy: 'allocation' },
    );
    return Object.fromEntries(report.rows.map((r) => [r.key, r.pipelineVnd]));
  };

  it('reads its pipeline from the snapshot of a summarised day: no request read', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryLives, fc.integer({ min: 0, max: 30 }), async (lives, asOfDay) => {
        const store = new Store(lives, allocations);
        for (let day = 0; day <= 32; day++) {
          store.now = at(day, 2);
          await runJob(store);
        }
        const asOf = addDays(START, asOfDay);
        const expected = reconstruction(store.requests, endOf(asOf));
        const got = await forecastAsOf(store, asOf);
        expect(store.requestReads).toBe(0);
        for (const id of ALLOCATIONS) expect(got[id] ?? 0, id).toBe(expected[id] ?? 0);
      }),
      { numRuns: 60 },
    );
  });

  it('after the last summarised day, from its pending set and the requests submitted since (two reads)', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryLives, fc.integer({ min: 1, max: 6 }), async (lives, after) => {
        const store = new Store(lives, allocations);
        store.now = at(20, 2);
        await runJob(store);
        // The job has not run since: asOf is after its last day.
        store.now = at(20 + after + 1, 2);
        const asOf = addDays(START, 19 + after);
        const expected = reconstruction(store.requests, endOf(asOf));
        const got = await forecastAsOf(store, asOf);
        expect(store.requestReads).toBe(2);
        for (const id of ALLOCATIONS) expect(got[id] ?? 0, id).toBe(expected[id] ?? 0);
        // Without the pending set (its time to live passed), the reconstruction: the same figures.
        store.pendingSets.clear();
        expect(await forecastAsOf(store, asOf)).toEqual(got);
        expect(store.requestReads).toBe(1);
      }),
      { numRuns: 60 },
    );
  });
});

describe('the daily job’s progress', () => {
  it('tells each day once written, oldest first, and nothing when no day is left', async () => {
    const store = new Store([], allocations);
    store.now = at(9, 1);
    const told: string[] = [];
    const run = () =>
      summariseClosedDays(
        { store, entries: store, summaries: store, snapshots: store, requests: store, now: () => store.now },
        [J],
        { maxDays: 5, fiscalYears: [FY], onDay: (d) => told.push(`${d.part} ${d.jurisdiction} ${d.date}`) },
      );
    // A first run catching up five days at a time, until a run has nothing left to write.
    let written = 0;
    for (let runs = 1; ; runs++) {
      const { days } = await run();
      written += days;
      expect(told).toHaveLength(written);
      if (days === 0) break;
      expect(runs).toBeLessThan(100);
    }
    expect(written).toBeGreaterThan(5);
    expect(told).toEqual([...store.snapshots.keys()].sort().map((d) => `summary ${J} ${d}`));
  });
});
