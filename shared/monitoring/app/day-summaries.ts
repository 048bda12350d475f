import type { AuditStore } from '../../audit/app/ports.ts';
import { readAllEntries } from '../../audit/app/read-all-entries.ts';
import {
  type DayPipelineRequest,
  nextPipeline,
  settledAt,
  withoutSettledLate,
} from '../../forecast/domain/pipeline.ts';
import type { LedgerStore } from '../../ledger/app/ports.ts';
import type { Allocation } from '../../ledger/domain/allocation.ts';
import { addDays, type IsoDate, vnDateOf, vnMidnight } from '../../platform/vn-calendar.ts';
import { type DaySnapshot, nextSnapshot } from '../domain/day-snapshot.ts';
import { summariseDay } from '../domain/day-summary.ts';
import { digestClosedDays, type IntegrityDigestDeps } from './integrity-digest.ts';
import type { DaySnapshotStore, DaySummaryStore, IntegritySource } from './ports.ts';

export interface DaySummaryDeps {
  store: Pick<LedgerStore, 'listAllocations'>;
  entries: Pick<AuditStore, 'queryEntries'>;
  summaries: DaySummaryStore;
  snapshots: DaySnapshotStore;
  now: () => Date;
  /** The integrity digest, kept beside the summaries when given (app/integrity-digest.ts). */
  integrity?: IntegrityDigestDeps;
  /**
   * The requests, when given: each snapshot then keeps the day's pipeline per allocation and the day's
   * pending set (the past-day forecast's pipeline, docs/performance.md).
   */
  requests?: Pick<IntegritySource, 'listRequestsCreatedBetween' | 'getRequests'>;
}

/** How long a pending set is kept (days): the job and the forecast read the last summarised day's only. */
export const PENDING_SET_DAYS = 31;

/** The entries posted on one Vietnam day of a fiscal year: a key range of the year's posting-date index. */
export const entriesOfDay = (
  entries: Pick<AuditStore, 'queryEntries'>,
  jurisdiction: string,
  fiscalYear: number,
  date: IsoDate,
) =>
  readAllEntries(entries, {
    jurisdiction,
    fiscalYear,
    from: vnMidnight(date).toISOString(),
    to: vnMidnight(addDays(date, 1)).toISOString(),
  });

/** A year is done once every allocation is closed and its summaries reach the last close's day. */
const yearDone = (allocations: readonly Allocation[], last: IsoDate | undefined): boolean => {
  if (last === undefined || allocations.some((a) => a.closing === undefined)) return false;
  const lastClose =
    allocations
      .map((a) => vnDateOf(a.closing?.closedAt ?? ''))
      .sort()
      .at(-1) ?? '';
  return last >= lastClose;
};

/** The earlier of two days, undefined when either is. */
const earlier = (a: IsoDate | undefined, b: IsoDate | undefined) =>
  a === undefined || b === undefined ? undefined : a < b ? a : b;

/**
 * The daily job's summaries (beside the ledger digest): for every fiscal year of every jurisdiction
 * with allocations, summarises each closed day (before today in Vietnam) after the last day both
 * summarised and snapshotted, from that day's entries, oldest first: the day's summary and its
 * snapshot (each allocation's cumulative: the previous day's snapshot plus the day's entries; a year
 * summarised before snapshots existed is snapshotted again from its first day); at most `maxDays` days a year per run (a first run on a long
 * history catches up over a few runs). A fiscal year is summarised from 1 January, or from its first
 * entry when earlier, until it is closed. With `deps.integrity`, each year's integrity digest is brought
 * up to yesterday first, from the requests created on each day (its own progress, same `maxDays`). With
 * `deps.requests`, each snapshot also keeps the day's pipeline per allocation, and the day's pending set
 * is written before it ({@link pipelineOfDay}).
 */
export const summariseClosedDays = async (
  deps: DaySummaryDeps,
  jurisdictions: readonly string[],
  options: {
    maxDays?: number;
    fiscalYears?: readonly number[];
    /** Told each day once it is written: the digest's, then the summaries' (a first run takes long). */
    onDay?: (day: {
      part: 'digest' | 'summary';
      jurisdiction: string;
      fiscalYear: number;
      date: IsoDate;
    }) => void;
  } = {},
) => {
  const now = deps.now();
  const yesterday = addDays(vnDateOf(now), -1);
  const maxDays = options.maxDays ?? 62;
  let days = 0;
  let entries = 0;
  let digestedDays = 0;
  for (const jurisdiction of jurisdictions) {
    const byYear = new Map<number, Allocation[]>();
    for (const a of await deps.store.listAllocations({ jurisdiction })) {
      if (options.fiscalYears && !options.fiscalYears.includes(a.fiscalYear)) continue;
      byYear.set(a.fiscalYear, [...(byYear.get(a.fiscalYear) ?? []), a]);
    }
    for (const [fiscalYear, allocations] of byYear) {
      if (
        deps.integrity &&
        !yearDone(allocations, (await deps.integrity.digest.digestDay(jurisdiction, fiscalYear))?.date)
      ) {
        const digested = await digestClosedDays(
          deps.integrity,
          jurisdiction,
          fiscalYear,
          () => firstDayOf(deps, jurisdiction, fiscalYear),
          yesterday,
          maxDays,
          (date) => options.onDay?.({ part: 'digest', jurisdiction, fiscalYear, date }),
        );
        digestedDays += digested.days;
      }
      const last = earlier(
        await deps.summaries.lastSummarisedDay(jurisdiction, fiscalYear),
        await deps.snapshots.lastSnapshotDay(jurisdiction, fiscalYear),
      );
      if (yearDone(allocations, last)) continue;
      let date = last !== undefined ? addDays(last, 1) : await firstDayOf(deps, jurisdiction, fiscalYear);
      let snapshot: DaySnapshot | undefined =
        last !== undefined
          ? (await deps.snapshots.getDaySnapshots(jurisdiction, fiscalYear, [last])).get(last)
          : undefined;
      const carried = new Set(allocations.filter((a) => a.carriedFrom !== undefined).map((a) => a.id));
      const pipelines = deps.requests && {
        requests: deps.requests,
        allocations,
        expiresAt: Math.floor(now.getTime() / 1000) + PENDING_SET_DAYS * 86_400,
      };
      // The pending set of the day before the first one summarised now, when kept whole.
      let pending =
        pipelines && last !== undefined && snapshot?.pendingChunks !== undefined
          ? await deps.snapshots.getPendingSet(jurisdiction, fiscalYear, last, snapshot.pendingChunks)
          : undefined;
      for (let n = 0; date <= yesterday && n < maxDays; n++, date = addDays(date, 1)) {
        const ofDay = await entriesOfDay(deps.entries, jurisdiction, fiscalYear, date);
        const day = { jurisdiction, fiscalYear, date };
        // Each day written once read, in date order, its snapshot before its summary: a run stopped
        // half-way keeps the days it did and leaves no gap before its last one (a snapshotted day's
        // predecessors all are), so the next run goes on from there.
        snapshot = nextSnapshot(snapshot, day, ofDay, now.toISOString());
        if (pipelines) {
          // The pending set is written before the snapshot that names it (the commit marker).
          const kept = await pipelineOfDay(deps.snapshots, pipelines, day, pending);
          pending = kept.ids;
          snapshot = { ...snapshot, pipeline: kept.pipeline, pendingChunks: kept.chunks };
        }
        await deps.snapshots.putDaySnapshot(snapshot);
        await deps.summaries.putDaySummaries([summariseDay(day, ofDay, carried, now.toISOString())]);
        entries += ofDay.length;
        days += 1;
        options.onDay?.({ part: 'summary', jurisdiction, fiscalYear, date });
      }
    }
  }
  return { days, entries, ...(deps.integrity ? { digestedDays } : {}) };
};

/**
 * A day's pipeline and pending set: candidates are the previous day's pending set (`previous`; undefined
 * for a first day, or when it is not kept whole: then every request submitted since the year's first
 * allocation was created, the reconstruction) and the requests submitted during the day, read as they
 * stand now. A request of the previous set found settled before the previous day's end (its decision
 * applied after that day was summarised) is taken out of the summarised days that still count it.
 * Writes the pending set; returns it, the pipeline and the number of chunks written.
 */
const pipelineOfDay = async (
  snapshots: DaySnapshotStore,
  deps: {
    requests: NonNullable<DaySummaryDeps['requests']>;
    allocations: readonly Allocation[];
    expiresAt: number;
  },
  day: { jurisdiction: string; fiscalYear: number; date: IsoDate },
  previous: readonly string[] | undefined,
) => {
  const { jurisdiction, fiscalYear, date } = day;
  const start = vnMidnight(date);
  const end = vnMidnight(addDays(date, 1));
  const firstCreated = deps.allocations.map((a) => a.createdAt).sort()[0];
  const candidates: DayPipelineRequest[] = previous
    ? [
        ...(await deps.requests.getRequests(jurisdiction, previous)),
        ...(await deps.requests.listRequestsCreatedBetween(
          jurisdiction,
          start.toISOString(),
          end.toISOString(),
        )),
      ]
    : firstCreated && firstCreated < end.toISOString()
      ? await deps.requests.listRequestsCreatedBetween(jurisdiction, firstCreated, end.toISOString())
      : [];
  const ofYear = new Set(deps.allocations.map((a) => a.id));
  const next = nextPipeline(previous && { ids: previous, end: start }, candidates, end, (r) =>
    ofYear.has(r.allocationId),
  );
  if (next.settledLate.length > 0) await takeOutSettledLate(snapshots, day, next.settledLate);
  const chunks = await snapshots.putPendingSet(jurisdiction, fiscalYear, date, next.ids, deps.expiresAt);
  return { ids: next.ids, pipeline: next.pipeline, chunks };
};

/**
 * Takes requests settled late out of the summarised days before `day` that count them: each from the
 * day its decision is dated to the day before `day` (it was in every pending set since its submission,
 * being pending in the table whenever the job ran). Rare (a decision still on its queue when the job ran),
 * and idempotent: a snapshot records what it took out.
 */
const takeOutSettledLate = async (
  snapshots: DaySnapshotStore,
  day: { jurisdiction: string; fiscalYear: number; date: IsoDate },
  late: readonly DayPipelineRequest[],
) => {
  const first = late
    .map((r) => vnDateOf(settledAt(r) ?? ''))
    .sort()
    .at(0);
  if (first === undefined) return;
  const dates: IsoDate[] = [];
  for (let d = first; d < day.date; d = addDays(d, 1)) dates.push(d);
  const stored = await snapshots.getDaySnapshots(day.jurisdiction, day.fiscalYear, dates);
  for (const date of dates) {
    const snapshot = stored.get(date);
    const corrected = snapshot && withoutSettledLate(snapshot, late, vnMidnight(addDays(date, 1)));
    if (corrected) await snapshots.putDaySnapshot(corrected);
  }
};

/** 1 January of the fiscal year, or the day of its first entry when that is earlier. */
const firstDayOf = async (deps: DaySummaryDeps, jurisdiction: string, fiscalYear: number) => {
  const first = (await deps.entries.queryEntries({ jurisdiction, fiscalYear }, 1)).items[0];
  const january = `${fiscalYear}-01-01`;
  return first && vnDateOf(first.postedAt) < january ? vnDateOf(first.postedAt) : january;
};
