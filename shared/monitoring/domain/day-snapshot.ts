import type { LedgerEntry } from '../../ledger/domain/ledger-entry.ts';
import { disbursedBy } from '../../ledger/domain/year-end-close.ts';
import { type IsoDate, vnDateOf } from '../../platform/vn-calendar.ts';

/**
 * Each allocation's cumulative disbursement of a jurisdiction's fiscal year at the end of one closed
 * Vietnam day ("lũy kế giải ngân cuối ngày"): what the forecast and the monitor read on the few days
 * they need (`forecastReadDates`) instead of every entry before them. Written by the daily job beside
 * the day's summary, from the previous day's snapshot and the day's entries; one item a day, about 45
 * bytes an allocation that has disbursed (DynamoDB's 400 KB item holds ~8,000 of them).
 */
export interface DaySnapshot {
  jurisdiction: string;
  fiscalYear: number;
  date: IsoDate;
  /** Allocation id → VND disbursed from the year's first entry to the end of `date`; zeros left out. */
  cumulative: Record<string, number>;
  /** Entries of the fiscal year posted by the end of `date`: what the invariant checker compares. */
  entries: number;
  /**
   * Allocation id → the cash out of the year's requests pending at the end of `date` ("hồ sơ đang chờ"),
   * zeros left out: a past day's forecast reads its pipeline here (forecast/domain/pipeline.ts,
   * `nextPipeline`). Absent on snapshots written before it was kept, or by a job given no request source.
   */
  pipeline?: Record<string, number>;
  /** How many chunks the day's pending set has (platform/table/keys.ts `pendingSetKeys`); absent: none kept. */
  pendingChunks?: number;
  /**
   * Requests counted in `pipeline` whose decision, dated before the day's end, was applied only after the
   * day was summarised, and which a later run took back out of it (so a rerun takes none out twice).
   */
  settledLate?: string[];
  summarisedAt: string;
}

type SnapshotEntry = Pick<LedgerEntry, 'allocationId' | 'amountVnd' | 'postedAt'> & {
  kind?: LedgerEntry['kind'];
};

/**
 * The snapshot of a day from the previous day's (undefined for the year's first summarised day) and
 * the day's entries (any order). Entries posted on another day are refused: a snapshot adds its day only.
 */
export const nextSnapshot = (
  previous: Pick<DaySnapshot, 'cumulative' | 'entries'> | undefined,
  day: { jurisdiction: string; fiscalYear: number; date: IsoDate },
  entries: readonly SnapshotEntry[],
  summarisedAt: string,
): DaySnapshot => {
  const cumulative: Record<string, number> = { ...(previous?.cumulative ?? {}) };
  for (const e of entries) {
    if (vnDateOf(e.postedAt) !== day.date) {
      throw new Error(`entry of ${e.allocationId} posted ${e.postedAt} is not of ${day.date}`);
    }
    const amountVnd = disbursedBy(e);
    if (amountVnd !== 0) cumulative[e.allocationId] = (cumulative[e.allocationId] ?? 0) + amountVnd;
  }
  return { ...day, cumulative, entries: (previous?.entries ?? 0) + entries.length, summarisedAt };
};

/** Allocation id → cumulative VND on one day. */
export type Cumulatives = ReadonlyMap<string, number>;

/**
 * Each allocation's cumulative disbursement at the end of each of `dates`, from the snapshots of the
 * summarised days among them (`snapshots`, by date; a summarised day with no snapshot is before the
 * year's first entry: nothing disbursed), the snapshot of the last summarised day `last`, and `later`,
 * the entries posted after `last` (all of them when nothing is summarised). The same figures the
 * entries of the whole year give.
 */
export const cumulativesAt = (
  dates: readonly IsoDate[],
  last: IsoDate | undefined,
  snapshots: ReadonlyMap<IsoDate, Pick<DaySnapshot, 'cumulative'>>,
  later: readonly SnapshotEntry[],
): Map<IsoDate, Map<string, number>> => {
  const out = new Map<IsoDate, Map<string, number>>();
  const base = last === undefined ? {} : (snapshots.get(last)?.cumulative ?? {});
  for (const date of dates) {
    if (last !== undefined && date <= last) {
      out.set(date, new Map(Object.entries(snapshots.get(date)?.cumulative ?? {})));
      continue;
    }
    const at = new Map(Object.entries(base));
    for (const e of later) {
      if (vnDateOf(e.postedAt) > date) continue;
      const amountVnd = disbursedBy(e);
      if (amountVnd !== 0) at.set(e.allocationId, (at.get(e.allocationId) ?? 0) + amountVnd);
    }
    out.set(date, at);
  }
  return out;
};

/** The summed cumulative of some allocations on one day. */
export const sumOf = (cumulatives: Cumulatives | undefined, ids: Iterable<string>): number => {
  let total = 0;
  if (!cumulatives) return 0;
  for (const id of ids) total += cumulatives.get(id) ?? 0;
  return total;
};
