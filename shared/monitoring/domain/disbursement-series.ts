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
  return [false, true].flatMap((carriedOver) =>
    CAPITAL_TYPES.flatMap((capitalType): CapitalTypeSeries[] => {
      const mine = allocations.filter(
        (a) => a.capitalType === capitalType && (a.carriedFrom !== undefined) === carriedOver,
      );
      if (mine.length === 0) return [];
      const byDay = new Map<IsoDate, number>();
      for (const e of entries) {
        if (e.capitalType !== capitalType || carried.has(e.allocationId) !== carriedOver) continue;
        const day = vnDateOf(e.postedAt);
        byDay.set(day, (byDay.get(day) ?? 0) + disbursedBy(e));
      }
      let cumulativeVnd = 0;
      const points = [...byDay.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([date, amount]) => {
          cumulativeVnd += amount;
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
