import type { AuditStore, EntryQuery } from '../../audit/app/ports.ts';
import { readAllEntries } from '../../audit/app/read-all-entries.ts';
import { disbursedBy } from '../../ledger/domain/year-end-close.ts';
import { addDays, type IsoDate, vnDateOf, vnMidnight } from '../../platform/vn-calendar.ts';
import { cumulativesAt, type DaySnapshot } from '../domain/day-snapshot.ts';
import type { AllocationDayAmount } from '../domain/forecast-detector.ts';
import type { DaySnapshotStore } from './ports.ts';

/**
 * What a jurisdiction's fiscal year disbursed, per allocation and Vietnam day, from the day after `since`
 * on: a key range of the year's posting-date index, so the read grows with what was posted since, never
 * with the ledger before it. Entries that move capital (carry-over, reallocation) count as none.
 */
export const disbursedSince = async (
  audit: Pick<AuditStore, 'queryEntries'>,
  jurisdiction: string,
  fiscalYear: number,
  since: IsoDate,
): Promise<AllocationDayAmount[]> =>
  (
    await readAllEntries(audit, {
      jurisdiction,
      fiscalYear,
      from: vnMidnight(addDays(since, 1)).toISOString(),
    })
  )
    .map((e) => ({ allocationId: e.allocationId, date: vnDateOf(e.postedAt), amountVnd: disbursedBy(e) }))
    .filter((p) => p.amountVnd > 0);

/**
 * Each allocation's cumulative disbursement of a fiscal year at the end of each of `dates`, from the day
 * snapshots (one Query for the last snapshotted day, one BatchGetItem for the dates) and the entries
 * posted after the last snapshotted day up to the last date (a key range of the posting-date index): so
 * its reads do not grow with the ledger. With no snapshot yet, every entry up to the last date is read.
 * `query` narrows the entries read (a commune-scoped reader's commune); the snapshots hold every
 * allocation, so the caller keeps only the allocations it reports.
 */
export const cumulativesOfDays = async (
  deps: { snapshots: DaySnapshotStore; audit: Pick<AuditStore, 'queryEntries'> },
  query: EntryQuery & { jurisdiction: string; fiscalYear: number },
  dates: readonly IsoDate[],
  /** The last snapshotted day, when the caller has read it already. */
  lastSnapshotted?: IsoDate,
): Promise<Map<IsoDate, Map<string, number>>> =>
  (await snapshotsOfDays(deps, query, dates, lastSnapshotted)).cumulatives;

/**
 * {@link cumulativesOfDays}, with what it read besides: the last snapshotted day and the snapshots of
 * the asked days up to it and of that day (the forecast takes a past day's pipeline from them).
 */
export const snapshotsOfDays = async (
  deps: { snapshots: DaySnapshotStore; audit: Pick<AuditStore, 'queryEntries'> },
  query: EntryQuery & { jurisdiction: string; fiscalYear: number },
  dates: readonly IsoDate[],
  lastSnapshotted?: IsoDate,
): Promise<{
  cumulatives: Map<IsoDate, Map<string, number>>;
  last: IsoDate | undefined;
  snapshots: ReadonlyMap<IsoDate, DaySnapshot>;
}> => {
  const { jurisdiction, fiscalYear } = query;
  const wanted = [...new Set(dates)].sort();
  const lastDate = wanted.at(-1);
  if (lastDate === undefined) return { cumulatives: new Map(), last: lastSnapshotted, snapshots: new Map() };
  const last = lastSnapshotted ?? (await deps.snapshots.lastSnapshotDay(jurisdiction, fiscalYear));
  const snapped = last === undefined ? [] : [...wanted.filter((d) => d <= last), last];
  const snapshots =
    snapped.length > 0
      ? await deps.snapshots.getDaySnapshots(jurisdiction, fiscalYear, snapped)
      : new Map<IsoDate, DaySnapshot>();
  const later =
    last === undefined || lastDate > last
      ? await readAllEntries(deps.audit, {
          ...query,
          ...(last !== undefined ? { from: vnMidnight(addDays(last, 1)).toISOString() } : {}),
          to: vnMidnight(addDays(lastDate, 1)).toISOString(),
        })
      : [];
  return { cumulatives: cumulativesAt(wanted, last, snapshots, later), last, snapshots };
};

/**
 * What the monitor's forecasts read: the disbursement posted after the first of `dates` (the recent
 * window's start), as {@link disbursedSince} gives it, but from the day snapshots once the window's
 * start is snapshotted: per allocation, what was disbursed between each of `dates` and the next, dated
 * the later one. A forecast reads a scope's cumulative only on those days (`forecastReadDates`), where
 * both give the same figure (`today` counts what was posted after the last of them, as the window's
 * entries do); this read does not grow with what was posted in the window. With no snapshot store, or
 * none of the window's start yet, the window's entries are read.
 */
export const disbursedBetweenReadDates = async (
  deps: { snapshots?: DaySnapshotStore; audit: Pick<AuditStore, 'queryEntries'> },
  jurisdiction: string,
  fiscalYear: number,
  dates: readonly IsoDate[],
  today: IsoDate,
): Promise<AllocationDayAmount[]> => {
  const wanted = [...new Set([...dates, today])].sort();
  const since = wanted[0];
  if (since === undefined) return [];
  const last = deps.snapshots ? await deps.snapshots.lastSnapshotDay(jurisdiction, fiscalYear) : undefined;
  if (!deps.snapshots || last === undefined || last < since) {
    return disbursedSince(deps.audit, jurisdiction, fiscalYear, since);
  }
  const cumulatives = await cumulativesOfDays(
    { snapshots: deps.snapshots, audit: deps.audit },
    { jurisdiction, fiscalYear },
    wanted,
    last,
  );
  const postings: AllocationDayAmount[] = [];
  wanted.slice(1).forEach((date, i) => {
    const before = cumulatives.get(wanted[i] ?? date) ?? new Map<string, number>();
    for (const [allocationId, cumulativeVnd] of cumulatives.get(date) ?? []) {
      const amountVnd = cumulativeVnd - (before.get(allocationId) ?? 0);
      if (amountVnd > 0) postings.push({ allocationId, date, amountVnd });
    }
  });
  return postings;
};
