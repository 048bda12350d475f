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
  /**
   * The cells summed over communes, per {@link totalKey} (`<capitalType>|<0|1>`): what a reader of the
   * whole jurisdiction's series reads, a few numbers a day whatever the number of communes and entries.
   * Absent from summaries written before it (issue 20): {@link seriesDayOf} sums their cells instead.
   */
  totals?: Record<string, readonly [number, number]>;
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

/** `<capitalType>|<0|1>`: a cell's key without its commune, what a day's totals are kept by. */
export const totalKey = (cell: Omit<SummaryCell, 'commune'>): string =>
  `${cell.capitalType}|${cell.carriedOver ? 1 : 0}`;

/** The cell keys of one commune: every capital type, the year's own and carried-over capital. */
export const cellKeysOfCommune = (commune: string): string[] =>
  CAPITAL_TYPES.flatMap((capitalType) =>
    [false, true].map((carriedOver) => cellKey({ capitalType, carriedOver, commune })),
  );

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
  return { ...day, cells, totals: totalsOf(cells), entries: entries.length, summarisedAt };
};

/** A day's cells summed over communes, per {@link totalKey}. */
export const totalsOf = (cells: DaySummary['cells']): Record<string, [number, number]> => {
  const totals: Record<string, [number, number]> = {};
  for (const [key, [amountVnd, entries]] of Object.entries(cells)) {
    const cell = parseCellKey(key);
    if (!cell) continue;
    const total = totalKey(cell);
    const [vnd, n] = totals[total] ?? [0, 0];
    totals[total] = [vnd + amountVnd, n + entries];
  }
  return totals;
};

/**
 * One day of a reader's series: per {@link totalKey}, `[disbursed VND, entries]`, of one commune (a
 * commune-scoped reader's) or of the whole jurisdiction.
 */
export interface SeriesDay {
  date: IsoDate;
  amounts: Record<string, readonly [number, number]>;
}

/**
 * A summary as a reader's series day: one commune's cells, else the day's totals (summed from its cells
 * when the summary predates them). A summary read with only some cells (the commune's) gives the same.
 */
export const seriesDayOf = (
  summary: Pick<DaySummary, 'date'> & Partial<Pick<DaySummary, 'cells' | 'totals'>>,
  commune?: string,
): SeriesDay => {
  if (commune === undefined) {
    return { date: summary.date, amounts: summary.totals ?? totalsOf(summary.cells ?? {}) };
  }
  const own = Object.fromEntries(
    Object.entries(summary.cells ?? {}).filter(([key]) => parseCellKey(key)?.commune === commune),
  );
  return { date: summary.date, amounts: totalsOf(own) };
};

/**
 * The disbursement series from the reader's days of the summarised days ({@link seriesDayOf}: one
 * commune's, or the whole jurisdiction's) and the entries of the days after the last of them: the same
 * series {@link disbursementSeries} gives from every entry of the year. `leftOut` are the entries, on
 * summarised days, of allocations left out of the report (a total stored out of range): they are taken
 * back out of their days. `later` must hold only entries of the report's allocations (and of the
 * reader's commune).
 */
export const seriesFromSummaries = (
  allocations: readonly Pick<
    Allocation,
    'id' | 'capitalType' | 'carriedFrom' | 'assignedVnd' | 'disbursedVnd'
  >[],
  days: readonly SeriesDay[],
  later: readonly SummarisedEntry[],
  options: {
    leftOut?: readonly SummarisedEntry[];
    leftOutCarried?: ReadonlySet<string>;
  } = {},
): CapitalTypeSeries[] => {
  const carried = new Set(allocations.filter((a) => a.carriedFrom !== undefined).map((a) => a.id));
  const amounts: DayAmount[] = [];
  for (const day of days) {
    for (const [key, [amountVnd, entries]] of Object.entries(day.amounts)) {
      const [capitalType, carriedOver] = key.split('|');
      if (!(CAPITAL_TYPES as readonly string[]).includes(capitalType ?? '')) continue;
      amounts.push({
        capitalType: capitalType as CapitalType,
        carriedOver: carriedOver === '1',
        date: day.date,
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
