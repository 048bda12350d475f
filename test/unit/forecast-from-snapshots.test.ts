import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EntryQuery } from '../../shared/audit/app/ports.ts';
import { forecastReport } from '../../shared/forecast/app/forecast-report.ts';
import { forecastReadDates, seriesFromTotals } from '../../shared/forecast/domain/series-from-totals.ts';
import type { Allocation } from '../../shared/ledger/domain/allocation.ts';
import type { DisbursementRequest } from '../../shared/ledger/domain/disbursement-request.ts';
import type { LedgerEntry } from '../../shared/ledger/domain/ledger-entry.ts';
import { summariseClosedDays } from '../../shared/monitoring/app/day-summaries.ts';
import {
  cumulativesOfDays,
  disbursedBetweenReadDates,
  disbursedSince,
} from '../../shared/monitoring/app/ledger-reads.ts';
import type { DaySnapshotStore, DaySummaryStore } from '../../shared/monitoring/app/ports.ts';
import { monitoringConfig } from '../../shared/monitoring/config/monitoring.ts';
import {
  cumulativesAt,
  type DaySnapshot,
  nextSnapshot,
} from '../../shared/monitoring/domain/day-snapshot.ts';
import { type DaySummary, seriesDayOf } from '../../shared/monitoring/domain/day-summary.ts';
import { jurisdictionOfScope, scopeOf } from '../../shared/platform/access.ts';
import { deadlineRules } from '../../shared/platform/config/fiscal-year/index.ts';
import { addDays, type IsoDate, vnDateOf, vnMidnight } from '../../shared/platform/vn-calendar.ts';
import { anActor, anAllocation, aRequest } from './support/domain-fixtures.ts';
import { forecastReportFromEntries } from './support/forecast-report-from-entries.ts';

const FY = 2026;
const ACTOR = anActor('inspector-1', ['inspector']);
const J = jurisdictionOfScope(scopeOf(ACTOR));

/** The stores the forecast and the daily job read, in memory, over a fixed set of allocations, entries and requests. */
class World implements DaySnapshotStore, DaySummaryStore {
  readonly snapshotsByKey = new Map<string, DaySnapshot>();
  readonly summariesByKey = new Map<string, DaySummary>();
  readonly pendingSets = new Map<string, string[]>();
  reads = 0;
  /** Requests read (listings and by key): what a pipeline costs. */
  requestReads = 0;
  constructor(
    readonly allocations: Allocation[],
    readonly entries: LedgerEntry[],
    public requests: DisbursementRequest[],
  ) {}

  async listAllocationsOfYear(jurisdiction: string, fiscalYear: number) {
    return this.allocations.filter(
      (a) => (a.jurisdiction ?? J) === jurisdiction && a.fiscalYear === fiscalYear,
    );
  }
  async listAllocations(filter: { jurisdiction: string }) {
    return this.allocations.filter((a) => (a.jurisdiction ?? J) === filter.jurisdiction);
  }
  async listPendingRequests() {
    return this.requests.filter((r) => r.status === 'pending_approval');
  }
  async listRequestsSubmittedBetween(_j: string, from: string, to: string) {
    this.requestReads++;
    return structuredClone(this.requests.filter((r) => r.createdAt >= from && r.createdAt < to));
  }
  async listRequestsCreatedBetween(j: string, from?: string, to?: string) {
    return this.listRequestsSubmittedBetween(j, from ?? '', to ?? '\uffff');
  }
  async getRequests(_j: string, ids: readonly string[]) {
    this.requestReads++;
    const wanted = new Set(ids);
    return structuredClone(this.requests.filter((r) => wanted.has(r.id)));
  }
  async putPendingSet(_j: string, fiscalYear: number, date: string, ids: readonly string[]) {
    this.pendingSets.set(`${fiscalYear}|${date}`, [...ids]);
    return 1;
  }
  async getPendingSet(_j: string, fiscalYear: number, date: string) {
    const ids = this.pendingSets.get(`${fiscalYear}|${date}`);
    return ids && [...ids];
  }
  async queryEntries(query: EntryQuery) {
    this.reads++;
    return {
      items: this.entries
        .filter(
          (e) =>
            e.fiscalYear === query.fiscalYear &&
            (query.commune === undefined || e.commune === query.commune) &&
            (query.from === undefined || e.postedAt >= query.from) &&
            (query.to === undefined || e.postedAt < query.to),
        )
        .sort((a, b) => a.postedAt.localeCompare(b.postedAt)),
    };
  }
  async putDaySnapshot(s: DaySnapshot) {
    this.snapshotsByKey.set(`${s.fiscalYear}|${s.date}`, structuredClone(s));
  }
  async getDaySnapshots(_j: string, fiscalYear: number, dates: readonly string[]) {
    return new Map(
      dates.flatMap((d) => {
        const s = this.snapshotsByKey.get(`${fiscalYear}|${d}`);
        return s ? [[d, structuredClone(s)] as const] : [];
      }),
    );
  }
  async lastSnapshotDay(_j: string, fiscalYear: number) {
    return [...this.snapshotsByKey.values()]
      .filter((s) => s.fiscalYear === fiscalYear)
      .map((s) => s.date)
      .sort()
      .at(-1);
  }
  async putDaySummaries(summaries: readonly DaySummary[]) {
    for (const s of summaries) this.summariesByKey.set(`${s.fiscalYear}|${s.date}`, s);
  }
  async listDaySummaries(_j: string, fiscalYear: number) {
    return [...this.summariesByKey.values()].filter((s) => s.fiscalYear === fiscalYear);
  }
  async listSeriesDays(_j: string, fiscalYear: number, commune?: string) {
    return (await this.listDaySummaries(J, fiscalYear))
      .sort((a, b) => a.date.localeCompare(b.date))
      .map((s) => seriesDayOf(s, commune));
  }
  async lastSummarisedDay(_j: string, fiscalYear: number) {
    return (await this.listDaySummaries(J, fiscalYear))
      .map((s) => s.date)
      .sort()
      .at(-1);
  }
}

/** A Vietnam day `day` days after 1 January of `year`, at `hour` in Vietnam, as an instant. */
const instantOn = (year: number, day: number, hour: number): string =>
  new Date(vnMidnight(addDays(`${year}-01-01`, day)).getTime() + hour * 3_600_000).toISOString();

const COMMUNES = ['A Tiêng', 'Lăng', 'Bhalêê'];

const arbitraryWorld = fc
  .record({
    allocations: fc.array(
      fc.record({
        year: fc.constantFrom(FY, FY - 1, FY - 2),
        commune: fc.constantFrom(...COMMUNES),
        capitalType: fc.constantFrom('investment' as const, 'recurrent' as const),
        carried: fc.boolean(),
        assignedVnd: fc.integer({ min: 0, max: 5_000 }),
      }),
      { minLength: 1, maxLength: 10 },
    ),
    postings: fc.array(
      fc.record({
        allocation: fc.nat(),
        day: fc.integer({ min: -3, max: 395 }),
        hour: fc.integer({ min: 0, max: 23 }),
        amountVnd: fc.integer({ min: 1, max: 400 }),
        movesCapital: fc.boolean(),
      }),
      { maxLength: 60 },
    ),
    requests: fc.array(
      fc.record({
        allocation: fc.nat(),
        day: fc.integer({ min: -20, max: 364 }),
        settledAfterDays: fc.option(fc.integer({ min: 0, max: 60 })),
        amountVnd: fc.integer({ min: 1, max: 300 }),
      }),
      { maxLength: 15 },
    ),
    asOfDay: fc.integer({ min: 0, max: 395 }),
    cutDay: fc.integer({ min: -400, max: 395 }),
    grouping: fc.constantFrom('allocation', 'commune', 'fundingLine', 'project'),
    pastAsOf: fc.boolean(),
  })
  .map((w) => {
    const allocations = w.allocations.map((a, i) =>
      anAllocation({
        id: `a${i}`,
        fiscalYear: a.year,
        commune: a.commune,
        capitalType: a.capitalType,
        assignedVnd: a.assignedVnd,
        availableVnd: a.assignedVnd,
        createdAt: `${a.year - 1}-12-01T00:00:00.000Z`,
        ...(a.carried && a.year === FY ? { carriedFrom: `${a.year - 1}:x` } : {}),
      }),
    );
    const asOf = addDays(`${FY}-01-01`, w.asOfDay);
    // Nothing is posted after asOf's day in the year forecast, nor in the past years after their end.
    const entries = w.postings.flatMap((p, i): LedgerEntry[] => {
      const a = allocations[p.allocation % allocations.length];
      if (!a) return [];
      const postedAt = instantOn(a.fiscalYear, p.day, p.hour);
      if (a.fiscalYear === FY && vnDateOf(postedAt) > asOf) return [];
      return [
        {
          allocationId: a.id,
          seq: i + 1,
          fiscalYear: a.fiscalYear,
          capitalType: a.capitalType,
          commune: a.commune,
          fundingLine: a.fundingLine,
          component: a.component,
          amountVnd: p.amountVnd,
          postedAt,
          kind: p.movesCapital ? 'carry-in' : 'disbursement',
        } as unknown as LedgerEntry,
      ];
    });
    // "Today": asOf's own day (the pipeline is what waits now), or long after it (a past day's pipeline).
    const now = w.pastAsOf
      ? vnMidnight(addDays(asOf, 40))
      : new Date(vnMidnight(asOf).getTime() + 23.5 * 3_600_000);
    const requests = w.requests.flatMap((r, i): DisbursementRequest[] => {
      const a = allocations[p(r.allocation, allocations.length)];
      const createdAt = instantOn(FY, r.day, 9);
      if (!a || createdAt >= now.toISOString()) return [];
      const settled = r.settledAfterDays === null ? undefined : instantOn(FY, r.day + r.settledAfterDays, 15);
      const base = {
        id: `r${i}`,
        allocationId: a.id,
        amountVnd: r.amountVnd,
        createdAt,
        updatedAt: createdAt,
      };
      return [
        settled === undefined || settled >= now.toISOString()
          ? aRequest({ ...base, status: 'pending_approval' })
          : aRequest({
              ...base,
              status: 'approved',
              updatedAt: settled,
              approvals: [{ level: 'district', by: 'd-1', at: settled }],
            } as Partial<DisbursementRequest>),
      ];
    });
    const cut = addDays(`${FY}-01-01`, w.cutDay);
    return { allocations, entries, requests, asOf, now, cut, grouping: w.grouping };
  });

const p = (n: number, length: number) => n % length;

describe('day snapshots', () => {
  it("give each allocation's cumulative on any day, whatever the cut between snapshotted and later days", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            allocation: fc.constantFrom('a', 'b', 'c'),
            day: fc.integer({ min: 0, max: 30 }),
            amountVnd: fc.integer({ min: 0, max: 1_000 }),
            movesCapital: fc.boolean(),
          }),
        ),
        fc.integer({ min: -1, max: 31 }),
        fc.array(fc.integer({ min: -5, max: 35 }), { minLength: 1, maxLength: 6 }),
        (postings, cutDay, dayNumbers) => {
          const start = '2026-03-01';
          const entries = postings.map((p) => ({
            allocationId: p.allocation,
            amountVnd: p.amountVnd,
            postedAt: vnMidnight(addDays(start, p.day)).toISOString(),
            kind: p.movesCapital ? ('carry-out' as const) : ('disbursement' as const),
          }));
          const cut = addDays(start, cutDay);
          const snapshots = new Map<IsoDate, DaySnapshot>();
          let previous: DaySnapshot | undefined;
          for (let date = start; date <= cut; date = addDays(date, 1)) {
            previous = nextSnapshot(
              previous,
              { jurisdiction: J, fiscalYear: 2026, date },
              entries.filter((e) => vnDateOf(e.postedAt) === date),
              'now',
            );
            snapshots.set(date, previous);
          }
          const last = cutDay >= 0 ? cut : undefined;
          const later = entries.filter((e) => last === undefined || vnDateOf(e.postedAt) > last);
          const dates = dayNumbers.map((d) => addDays(start, d));
          const got = cumulativesAt(dates, last, snapshots, later);
          for (const date of dates) {
            for (const id of ['a', 'b', 'c']) {
              const expected = entries
                .filter(
                  (e) => e.allocationId === id && vnDateOf(e.postedAt) <= date && !e.kind.startsWith('carry'),
                )
                .reduce((s, e) => s + e.amountVnd, 0);
              expect(got.get(date)?.get(id) ?? 0).toBe(expected);
            }
          }
        },
      ),
    );
  });

  it('refuses an entry of another day', () => {
    expect(() =>
      nextSnapshot(
        undefined,
        { jurisdiction: J, fiscalYear: 2026, date: '2026-03-02' },
        [{ allocationId: 'a', amountVnd: 1, postedAt: '2026-03-02T17:00:00.000Z' }],
        'now',
      ),
    ).toThrow(/not of 2026-03-02/);
  });

  it('read with the entries after the last snapshotted day, a forecast window needs no entry before it', async () => {
    const world = new World(
      [anAllocation({ id: 'a', fiscalYear: FY })],
      [10, 50, 100, 140].map(
        (day, i) =>
          ({
            allocationId: 'a',
            fiscalYear: FY,
            amountVnd: 10 ** i,
            postedAt: instantOn(FY, day, 10),
            kind: 'disbursement',
          }) as unknown as LedgerEntry,
      ),
      [],
    );
    await summariseClosedDays(
      {
        store: world,
        entries: world,
        summaries: world,
        snapshots: world,
        now: () => vnMidnight(addDays(`${FY}-01-01`, 120)),
      },
      [J],
      { maxDays: 1000 },
    );
    world.reads = 0;
    const got = await cumulativesOfDays(
      { snapshots: world, audit: world },
      { jurisdiction: J, fiscalYear: FY },
      [addDays(`${FY}-01-01`, 60), addDays(`${FY}-01-01`, 150)],
    );
    expect([...got.values()].map((m) => m.get('a'))).toEqual([11, 1111]);
    // One entry read: the one posted after the last snapshotted day (day 119).
    expect(world.reads).toBe(1);
  });
});

describe('the forecast from day snapshots', () => {
  it('equals the forecast from every entry, for any cut between summarised and unsummarised days', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryWorld, fc.boolean(), fc.boolean(), async (w, pipelines, expired) => {
        const world = new World(w.allocations, w.entries, w.requests);
        // A past asOf may be summarised (its pipeline then read from its snapshot) or not yet.
        const today = vnDateOf(w.now);
        const summarisedUpTo = w.cut < today ? w.cut : addDays(today, -1);
        await summariseClosedDays(
          {
            store: world,
            entries: world,
            summaries: world,
            snapshots: world,
            ...(pipelines ? { requests: world } : {}),
            now: () => vnMidnight(addDays(summarisedUpTo, 1)),
          },
          [J],
          { maxDays: 2000 },
        );
        // The pending sets gone (their time to live passed): the forecast reconstructs instead.
        if (expired) world.pendingSets.clear();
        const deps = {
          progress: world,
          audit: world,
          requests: world,
          snapshots: world,
          config: monitoringConfig,
          deadlines: deadlineRules,
          now: () => w.now,
        };
        const input = { fiscalYear: String(FY), asOf: w.asOf, groupBy: w.grouping };
        const expected = await forecastReportFromEntries(deps, ACTOR, input);
        const got = await forecastReport(deps, ACTOR, input);
        expect(got).toEqual(expected);
      }),
      { numRuns: 80 },
    );
    // Each run summarises up to two years of days: slow on a loaded machine.
  }, 120_000);
});

describe("the monitor's forecast window from day snapshots", () => {
  it('gives every allocation the cumulative the window of entries gives, on every day the forecast reads', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryWorld, fc.boolean(), async (w, withStore) => {
        const world = new World(w.allocations, w.entries, w.requests);
        const summarisedUpTo = w.cut < w.asOf ? w.cut : addDays(w.asOf, -1);
        await summariseClosedDays(
          {
            store: world,
            entries: world,
            summaries: world,
            snapshots: world,
            now: () => vnMidnight(addDays(summarisedUpTo, 1)),
          },
          [J],
          { maxDays: 2000 },
        );
        const dates = forecastReadDates(FY, w.asOf, w.asOf);
        const today = vnDateOf(w.now);
        const fromEntries = await disbursedSince(world, J, FY, dates[0] ?? w.asOf);
        const fromSnapshots = await disbursedBetweenReadDates(
          { ...(withStore ? { snapshots: world } : {}), audit: world },
          J,
          FY,
          dates,
          today,
        );
        for (const a of w.allocations.filter((x) => x.fiscalYear === FY)) {
          // Disbursed now: every entry of the allocation, whenever posted.
          const now = w.entries
            .filter((e) => e.allocationId === a.id && e.kind === 'disbursement')
            .reduce((sum, e) => sum + e.amountVnd, 0);
          const mine = (p: { allocationId: string }) => p.allocationId === a.id;
          expect(seriesFromTotals(now, fromSnapshots.filter(mine), dates)).toEqual(
            seriesFromTotals(now, fromEntries.filter(mine), dates),
          );
        }
      }),
      { numRuns: 80 },
    );
    // Each run summarises up to two years of days: slow on a loaded machine.
  }, 120_000);
});
