import type { SeriesPoint } from '../../monitoring/domain/disbursement-series.ts';
import { addDays, type IsoDate } from '../../platform/vn-calendar.ts';
import { DEFAULT_FORECAST_PARAMETERS, type ForecastParameters, yearEndOf } from './forecast.ts';

/** Disbursement posted on one Vietnam day (a posting's share that counts as disbursement). */
export interface DayAmount {
  date: IsoDate;
  amountVnd: number;
}

/**
 * The days a forecast made at `asOf` reads a scope's cumulative disbursement on: `asOf`, the start of its
 * recent window, and 31/12 and the deadline once passed (their figures are then actuals). Nothing else
 * of the series is read by {@link forecastScope} (a unit test holds it to that), so these points give
 * the forecast the full series would. Earliest first.
 */
export const forecastReadDates = (
  fiscalYear: number,
  asOf: IsoDate,
  deadline: IsoDate,
  parameters: Pick<ForecastParameters, 'recentWindowDays'> = DEFAULT_FORECAST_PARAMETERS,
): IsoDate[] =>
  [...new Set([addDays(asOf, -parameters.recentWindowDays), yearEndOf(fiscalYear), deadline, asOf])]
    .filter((date) => date <= asOf)
    .sort();

/**
 * A scope's cumulative disbursement on the given days from what it has disbursed now (its allocations'
 * running totals) and what was posted after the earliest day: the cumulative at a day is today's total
 * less what was posted after it. So the monitor needs no entry older than the forecast's window.
 */
export const seriesFromTotals = (
  disbursedNowVnd: number,
  postedSince: readonly DayAmount[],
  dates: readonly IsoDate[],
): SeriesPoint[] =>
  [...dates].sort().map((date) => ({
    date,
    cumulativeVnd:
      disbursedNowVnd - postedSince.reduce((sum, p) => sum + (p.date > date ? p.amountVnd : 0), 0),
  }));
