import type { Allocation } from '../../ledger/domain/allocation.ts';
import { CAPITAL_TYPES, type CapitalType } from '../../ledger/domain/funding-line.ts';
import type { LedgerEntry } from '../../ledger/domain/ledger-entry.ts';
import { disbursedBy } from '../../ledger/domain/year-end-close.ts';
import { type IsoDate, vnDateOf } from '../../platform/vn-calendar.ts';
import { type CapitalTypeSeries, type DayAmount, seriesOfDayAmounts } from './disbursement-series.ts';

/**
 * What one closed Vietnam day disbursed in a jurisdiction's fiscal year ("tổng hợp giải ngân ngày"),
 * per capital type, carried-over capital apart, and commune: exactly what the disbursement series needs,
 * for every reader (a commune-scoped one keeps their commune's cells). Its size is bounded by capital
 * types × 2 × communes, whatever the number of entries of the day. Built by the daily job from the day's
 * entries once the day is over; a posted day never gets new entries (postedAt is the posting time).
 */
export interface DaySummary {
  jurisdiction: string;
  fiscalYear: number;
  date: IsoDate;
  /**
   * Per {@link cellKey}: `[disbursed VND, entries]`; a cell whose entries only moved capital holds
   * `[0, n]` (the day is still a point of its series, as it is from the entries).
   */
  cells: Record<string, readonly [number, number]>;
  /** How many entries the day had: what the invariant checker compares with the ledger. */
  entries: number;
  summarisedAt: string;
}

/** One cell of a day: a capital type, the year's own (`0`) or carried-over (`1`) capital, a commune. */
export interface SummaryCell {
  capitalType: CapitalType;
  carriedOver: boolean;
  commune: string;
}

/** `<capitalType>|<0|1>|<commune>`: commune names hold no `|` in any jurisdiction's config. */
export const cellKey = (cell: SummaryCell): string =>
  `${cell.capitalType}|${cell.carriedOver ? 1 : 0}|${cell.commune}`;

/** The cell a key names, or undefined for a key of another shape. */
export const parseCellKey = (key: string): SummaryCell | undefined => {
  const [capitalType, carried, ...commune] = key.split('|');
  if (!(CAPITAL_TYPES as readonly string[]).includes(capitalType ?? '')) return undefined;
  if (carried !== '0' && carried !== '1') return undefined;
  return {
    capitalType: capitalType as CapitalType,
    carriedOver: carried === '1',
    commune: commune.join('|'),
  };
};

type SummarisedEntry = Pick<
  LedgerEntry,
  'allocationId' | 'capitalType' | 'commune' | 'amountVnd' | 'postedAt'
> & {
  kind?: LedgerEntry['kind'];
};

/**
 * The summary of one day from that day's entries (any order): `carried` holds the ids of the year's
 * allocations carried over from an earlier year. Entries posted on another day are refused: a summary
 * is of its day only.
 */
export const summariseDay = (
  day: { jurisdiction: string; fiscalYear: number; date: IsoDate },
  entries: readonly SummarisedEntry[],
  carried: ReadonlySet<string>,
  summarisedAt: string,
): DaySummary => {
  const cells: Record<string, [number, number]> = {};
  for (const e of entries) {
    if (vnDateOf(e.postedAt) !== day.date) {
      throw new Error(`entry of ${e.allocationId} posted ${e.postedAt} is not of ${day.date}`);
    }
    const key = cellKey({
      capitalType: e.capitalType,
      carriedOver: carried.has(e.allocationId),
      commune: e.commune,
    });
    const [amountVnd, count] = cells[key] ?? [0, 0];
    cells[key] = [amountVnd + disbursedBy(e), count + 1];
  }
  return { ...day, cells, entries: entries.length, summarisedAt };
};

/**
 * The disbursement series from the summaries of the summarised days and the entries of the days after
 * the last of them: the same series {@link disbursementSeries} gives from every entry of the year.
 * `commune` keeps one commune's cells (a commune-scoped reader's); `leftOut` are the entries, on
 * summarised days, of allocations left out of the report (a total stored out of range): they are taken
 * back out of their cells. `later` must hold only entries of the report's allocations.
 */
export const seriesFromSummaries = (
  allocations: readonly Pick<
    Allocation,
    'id' | 'capitalType' | 'carriedFrom' | 'assignedVnd' | 'disbursedVnd'
  >[],
  summaries: readonly Pick<DaySummary, 'date' | 'cells'>[],
  later: readonly SummarisedEntry[],
  options: {
    commune?: string;
    leftOut?: readonly SummarisedEntry[];
    leftOutCarried?: ReadonlySet<string>;
  } = {},
): CapitalTypeSeries[] => {
  const carried = new Set(allocations.filter((a) => a.carriedFrom !== undefined).map((a) => a.id));
  const amounts: DayAmount[] = [];
  for (const summary of summaries) {
    for (const [key, [amountVnd, entries]] of Object.entries(summary.cells)) {
      const cell = parseCellKey(key);
      if (!cell || (options.commune !== undefined && cell.commune !== options.commune)) continue;
      amounts.push({
        capitalType: cell.capitalType,
        carriedOver: cell.carriedOver,
        date: summary.date,
        amountVnd,
        entries,
      });
    }
  }
  for (const e of options.leftOut ?? []) {
    amounts.push({
      capitalType: e.capitalType,
      carriedOver: options.leftOutCarried?.has(e.allocationId) ?? false,
      date: vnDateOf(e.postedAt),
      amountVnd: -disbursedBy(e),
      entries: -1,
    });
  }
  for (const e of later) {
    amounts.push({
      capitalType: e.capitalType,
      carriedOver: carried.has(e.allocationId),
      date: vnDateOf(e.postedAt),
      amountVnd: disbursedBy(e),
      entries: 1,
    });
  }
  return seriesOfDayAmounts(allocations, amounts);
};
