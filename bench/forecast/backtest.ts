import {
  DEFAULT_FORECAST_PARAMETERS,
  type ForecastParameters,
  forecastRateAt,
  type RateForecast,
} from '../../shared/forecast/domain/forecast.ts';
import { shapeOfYear, type YearShape } from '../../shared/forecast/domain/year-shape.ts';
import type { SeriesPoint } from '../../shared/monitoring/domain/disbursement-series.ts';
import type { Milestone } from '../../shared/monitoring/domain/expected-curve.ts';
import type { IsoDate } from '../../shared/platform/vn-calendar.ts';

/** A request of a scope's history: submitted, then paid (posted) or rejected, or still pending. */
export interface HistoryPayment {
  submittedOn: IsoDate;
  postedOn?: IsoDate;
  rejectedOn?: IsoDate;
  amountVnd: number;
}

/** A scope to backtest: its whole year (the forecast sees only what is dated up to each asOf). */
export interface BacktestCase {
  id: string;
  /** The group its figures are reported under: a generated shape, or the demo. */
  group: string;
  fiscalYear: number;
  assignedVnd: number;
  payments: readonly HistoryPayment[];
  pastYears: readonly YearShape[];
  curve: readonly Milestone[];
  deadline: IsoDate;
}

/** A date the forecast is judged at, against the actual rate then. */
export interface Horizon {
  label: string;
  on: (c: BacktestCase) => IsoDate;
}

/** The horizons of the issue: 31/12 of the fiscal year and the scope's deadline. */
export const YEAR_END_AND_DEADLINE: readonly Horizon[] = [
  { label: '31/12', on: (c) => `${c.fiscalYear}-12-31` },
  { label: 'deadline', on: (c) => c.deadline },
];

/** Cumulative disbursement by posting day of the payments posted up to `until`. */
export const seriesOf = (payments: readonly HistoryPayment[], until: IsoDate): SeriesPoint[] => {
  const byDay = new Map<IsoDate, number>();
  for (const p of payments)
    if (p.postedOn !== undefined && p.postedOn <= until)
      byDay.set(p.postedOn, (byDay.get(p.postedOn) ?? 0) + p.amountVnd);
  let cumulativeVnd = 0;
  return [...byDay.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([date, amount]) => {
      cumulativeVnd += amount;
      return { date, cumulativeVnd };
    });
};

/** Pending at the end of `asOf`: submitted by then, neither paid nor rejected by then. */
export const pipelineOf = (payments: readonly HistoryPayment[], asOf: IsoDate): number =>
  payments
    .filter(
      (p) =>
        p.submittedOn <= asOf &&
        !(p.postedOn !== undefined && p.postedOn <= asOf) &&
        !(p.rejectedOn !== undefined && p.rejectedOn <= asOf),
    )
    .reduce((s, p) => s + p.amountVnd, 0);

/** A past year's shape from its payments. */
export const pastYearShape = (year: {
  fiscalYear: number;
  assignedVnd: number;
  payments: readonly HistoryPayment[];
}): YearShape =>
  shapeOfYear(year.fiscalYear, year.assignedVnd, seriesOf(year.payments, `${year.fiscalYear + 1}-12-31`));

/** The forecast of a case's rate at `on`, made at `asOf` from what is dated up to `asOf` only. */
export const forecastCaseAt = (
  c: BacktestCase,
  asOf: IsoDate,
  on: IsoDate,
  parameters: ForecastParameters = DEFAULT_FORECAST_PARAMETERS,
): RateForecast | null =>
  forecastRateAt(
    {
      fiscalYear: c.fiscalYear,
      asOf,
      assignedVnd: c.assignedVnd,
      series: seriesOf(c.payments, asOf),
      pipelineVnd: pipelineOf(c.payments, asOf),
      curve: c.curve,
      deadline: c.deadline,
      pastYears: c.pastYears,
    },
    on,
    parameters,
  );

/** The actual rate of a case at `on`, from its whole history. */
export const actualRate = (c: BacktestCase, on: IsoDate): number =>
  (seriesOf(c.payments, on).at(-1)?.cumulativeVnd ?? 0) / c.assignedVnd;

/** One row of the backtest: a group's error at one asOf and horizon. */
export interface BacktestRow {
  asOf: string;
  horizon: string;
  group: string;
  scopes: number;
  /** Mean absolute error of p50 against the actual rate, in percentage points. */
  maePoints: number;
  /** Mean of p50 minus actual, in points: positive when the forecast is too high. */
  biasPoints: number;
  /** Share of actual rates within p10–p90 (aimed at 0.8). */
  coverage: number;
  /** Mean width of p10–p90, in points. */
  widthPoints: number;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Forecasts every case from each asOf (a `MM-DD` of its fiscal year) at each horizon and compares with
 * the actual rate: one row per asOf × horizon × group, then one for all groups together.
 */
export const runBacktest = (
  cases: readonly BacktestCase[],
  asOfDays: readonly string[],
  horizons: readonly Horizon[] = YEAR_END_AND_DEADLINE,
  parameters: ForecastParameters = DEFAULT_FORECAST_PARAMETERS,
): BacktestRow[] => {
  const groups = [...new Set(cases.map((c) => c.group))];
  return asOfDays.flatMap((day) =>
    horizons.flatMap((h) => {
      const results = cases.flatMap((c) => {
        const on = h.on(c);
        const f = forecastCaseAt(c, `${c.fiscalYear}-${day}`, on, parameters);
        return f ? [{ group: c.group, f, actual: actualRate(c, on) }] : [];
      });
      const row = (group: string, of: typeof results): BacktestRow => {
        const n = Math.max(1, of.length);
        const mean = (g: (r: (typeof results)[number]) => number) => of.reduce((s, r) => s + g(r), 0) / n;
        return {
          asOf: day,
          horizon: h.label,
          group,
          scopes: of.length,
          maePoints: round2(mean((r) => Math.abs(r.f.p50 - r.actual) * 100)),
          biasPoints: round2(mean((r) => (r.f.p50 - r.actual) * 100)),
          coverage: round2(mean((r) => (r.actual >= r.f.p10 - 1e-9 && r.actual <= r.f.p90 + 1e-9 ? 1 : 0))),
          widthPoints: round2(mean((r) => (r.f.p90 - r.f.p10) * 100)),
        };
      };
      return [
        ...groups.map((g) =>
          row(
            g,
            results.filter((r) => r.group === g),
          ),
        ),
        ...(groups.length > 1 ? [row('all', results)] : []),
      ];
    }),
  );
};
