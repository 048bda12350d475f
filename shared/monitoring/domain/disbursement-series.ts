import type { Allocation } from '../../ledger/domain/allocation.ts';
import { CAPITAL_TYPES, type CapitalType } from '../../ledger/domain/funding-line.ts';
import type { LedgerEntry } from '../../ledger/domain/ledger-entry.ts';
import { disbursedBy } from '../../ledger/domain/year-end-close.ts';
import { type IsoDate, vnDateOf } from '../../platform/vn-calendar.ts';
import { type Milestone, milestoneDate } from './expected-curve.ts';

/** Cumulative disbursement at the end of a Vietnam day ("lũy kế giải ngân"). */
export interface SeriesPoint {
  date: IsoDate;
  cumulativeVnd: number;
}

/**
 * One capital type's cumulative disbursement over a fiscal year, against what is assigned now; capital
 * carried over from an earlier year has a series of its own (`carriedOver`), apart from the year's own.
 */
export interface CapitalTypeSeries {
  capitalType: CapitalType;
  carriedOver?: true;
  assignedVnd: number;
  disbursedVnd: number;
  /** One point per day with postings, in date order; the last equals `disbursedVnd`. */
  points: SeriesPoint[];
}

/** The expected curve of a fiscal year as dated points, starting at 0% on 1 January. */
export const curvePoints = (curve: readonly Milestone[], fiscalYear: number) => [
  { date: `${fiscalYear}-01-01`, percent: 0 },
  ...curve.map((m) => ({ date: milestoneDate(m, fiscalYear), percent: m.percent })),
];

/** A day's disbursement of one series (a capital type, own or carried-over capital), from `entries` entries. */
export interface DayAmount {
  capitalType: CapitalType;
  carriedOver: boolean;
  date: IsoDate;
  amountVnd: number;
  /** How many entries the amount sums (negative when taking entries back out). */
  entries: number;
}

/**
 * Cumulative series per capital type (the year's own capital first, then carried-over) from day
 * amounts; a day with entries is a point, even when they disbursed nothing (a carry-over's). Series
 * with no allocation are left out.
 */
export const seriesOfDayAmounts = (
  allocations: readonly Pick<Allocation, 'capitalType' | 'carriedFrom' | 'assignedVnd' | 'disbursedVnd'>[],
  amounts: Iterable<DayAmount>,
): CapitalTypeSeries[] => {
  const byKind = new Map<string, Map<IsoDate, { amountVnd: number; entries: number }>>();
  for (const a of amounts) {
    const kind = `${a.capitalType}|${a.carriedOver}`;
    const days = byKind.get(kind) ?? new Map<IsoDate, { amountVnd: number; entries: number }>();
    const day = days.get(a.date) ?? { amountVnd: 0, entries: 0 };
    days.set(a.date, { amountVnd: day.amountVnd + a.amountVnd, entries: day.entries + a.entries });
    byKind.set(kind, days);
  }
  return [false, true].flatMap((carriedOver) =>
    CAPITAL_TYPES.flatMap((capitalType): CapitalTypeSeries[] => {
      const mine = allocations.filter(
        (a) => a.capitalType === capitalType && (a.carriedFrom !== undefined) === carriedOver,
      );
      if (mine.length === 0) return [];
      let cumulativeVnd = 0;
      const points = [...(byKind.get(`${capitalType}|${carriedOver}`) ?? new Map())]
        .filter(([, day]) => day.entries > 0)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([date, day]) => {
          cumulativeVnd += day.amountVnd;
          return { date, cumulativeVnd };
        });
      return [
        {
          capitalType,
          ...(carriedOver ? { carriedOver: true as const } : {}),
          assignedVnd: mine.reduce((s, a) => s + a.assignedVnd, 0),
          disbursedVnd: mine.reduce((s, a) => s + a.disbursedVnd, 0),
          points,
        },
      ];
    }),
  );
};

/**
 * Cumulative disbursement per capital type by posting day, from the entries of a fiscal year (in
 * any order) and its allocations' running totals; the year's own capital first, then what was carried
 * over, each capital type apart. Series with no allocation are left out.
 */
export const disbursementSeries = (
  allocations: readonly Pick<
    Allocation,
    'id' | 'capitalType' | 'carriedFrom' | 'assignedVnd' | 'disbursedVnd'
  >[],
  entries: readonly (Pick<LedgerEntry, 'allocationId' | 'capitalType' | 'amountVnd' | 'postedAt'> & {
    kind?: LedgerEntry['kind'];
  })[],
): CapitalTypeSeries[] => {
  const carried = new Set(allocations.filter((a) => a.carriedFrom !== undefined).map((a) => a.id));
  return seriesOfDayAmounts(
    allocations,
    entries.map((e) => ({
      capitalType: e.capitalType,
      carriedOver: carried.has(e.allocationId),
      date: vnDateOf(e.postedAt),
      amountVnd: disbursedBy(e),
      entries: 1,
    })),
  );
};
