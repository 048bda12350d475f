import type { SeriesPoint } from '../../monitoring/domain/disbursement-series.ts';
import type { Milestone } from '../../monitoring/domain/expected-curve.ts';
import { addDays, type IsoDate } from '../../platform/vn-calendar.ts';
import {
  cumulativeAt,
  curveShape,
  dayOfFiscalYear,
  type ReferenceShape,
  referenceShape,
  shareAt,
  type YearShape,
} from './year-shape.ts';

/**
 * The tunable numbers of the forecast ("dự báo tỷ lệ giải ngân"). The defaults were chosen on the
 * backtest (docs/forecast.md): change them there, where a test bounds the error they give.
 */
export interface ForecastParameters {
  /** Days back over which the recent pace is measured (a stall shows there first). */
  recentWindowDays: number;
  /** Weight of the recent pace against the pace since 1 January, 0 to 1. */
  recentWeight: number;
  /** The highest pace believed, as a multiple of the reference's (a fast start rarely keeps that lead). */
  maxPace: number;
  /** Share of the pending requests (the pipeline) expected to be paid before the horizon, 0 to 1. */
  pipelineConversion: number;
  /**
   * Spread of the outcome, in percentage points (one standard deviation), were the whole of the
   * reference still to come; it shrinks with the square root of the share still to come.
   */
  spreadPoints: number;
  /** The narrowest spread, in points, while anything is still to come. */
  minSpreadPoints: number;
  /** How many past years the calibrated spread weighs as, against past years' own misses. */
  spreadPriorYears: number;
}

/** Defaults measured on the backtest of generated years (docs/forecast.md, `npm run -s backtest`). */
export const DEFAULT_FORECAST_PARAMETERS: ForecastParameters = {
  recentWindowDays: 90,
  recentWeight: 0.75,
  maxPace: 2,
  pipelineConversion: 0.9,
  spreadPoints: 35,
  minSpreadPoints: 1,
  spreadPriorYears: 1,
};

/** What a scope's forecast is made of; only data up to `asOf` may be in it. */
export interface ForecastInput {
  fiscalYear: number;
  /** The day the forecast is made, at its end; nothing after it is read. */
  asOf: IsoDate;
  /** The capital assigned to the scope. */
  assignedVnd: number;
  /** Cumulative disbursement by posting day (points after `asOf` are ignored). */
  series: readonly SeriesPoint[];
  /** Pending requests at `asOf`: submitted by then and not decided by then ("hồ sơ đang chờ"). */
  pipelineVnd: number;
  /** The expected curve of the scope's kind (capital type, or carried over) for the fiscal year. */
  curve: readonly Milestone[];
  /** The scope's disbursement deadline (investment: 31/01 of the next year by default). */
  deadline: IsoDate;
  /** Shapes of the scope's past years, where there are any; the reference curve alone otherwise. */
  pastYears?: readonly YearShape[];
}

/** A forecast rate at one date, as fractions of the assigned capital (0.95 is 95%): p10 ≤ p50 ≤ p90. */
export interface RateForecast {
  on: IsoDate;
  p10: number;
  p50: number;
  p90: number;
}

/** The method's inputs worth showing beside a forecast, so a reader can follow it. */
export interface ForecastExplanation {
  /** `curve`, or `curve+pastYears` when past years' shapes were blended in. */
  shapeSource: 'curve' | 'curve+pastYears';
  pastYears: number;
  /** Weight of the past years' mean shape in the reference (n/(n+1)); 0 with none. */
  pastYearsWeight: number;
  /** Share the reference expects by `asOf`. */
  expectedRateAsOf: number;
  /** Actual ÷ expected since 1 January, and over the recent window (null: nothing expected, no basis). */
  paceSinceJanuary: number | null;
  paceRecent: number | null;
  /** How far the pace so far is trusted (share of the reference's path to year end elapsed, 0–1). */
  credibility: number;
  /** The pace the rest of the reference is projected at (1: as expected). */
  pace: number;
  /** The pipeline as a share of the assigned capital, and the share of it expected to be paid. */
  pipelineRate: number;
  pipelineConversion: number;
  /** Past years' misses when forecast the same way from the same day (year-end), in points. */
  pastYearMissPoints: number[];
}

/** A scope's forecast at `asOf`: the rate so far and the rate forecast at 31/12 and at the deadline. */
export interface ScopeForecast {
  asOf: IsoDate;
  assignedVnd: number;
  disbursedVnd: number;
  pipelineVnd: number;
  /** Disbursed ÷ assigned at `asOf`; null when nothing is assigned (no basis for a rate). */
  rate: number | null;
  yearEnd: RateForecast | null;
  deadline: RateForecast | null;
  inputs: ForecastExplanation | null;
}

/** 31 December of the fiscal year: the budget year's end. */
export const yearEndOf = (fiscalYear: number): IsoDate => `${fiscalYear}-12-31`;

/** The z-score of the 90th percentile of a normal distribution: p10 and p90 sit this many spreads from p50. */
const Z90 = 1.2815515655446004;

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

interface Pace {
  sinceJanuary: number | null;
  recent: number | null;
  credibility: number;
  pace: number;
}

/** The pace of a scope against a reference at day `d0`, shrunk toward 1 (as expected) while little of the year is behind. */
const paceOf = (
  ref: ReferenceShape,
  shareOn: (day: number) => number,
  d0: number,
  dYearEnd: number,
  p: ForecastParameters,
): Pace => {
  const s0 = ref(d0);
  const r0 = shareOn(d0);
  const sinceJanuary = s0 > 0 ? r0 / s0 : null;
  const expectedRecent = s0 - ref(d0 - p.recentWindowDays);
  const recent = expectedRecent > 0.005 ? (r0 - shareOn(d0 - p.recentWindowDays)) / expectedRecent : null;
  const raw =
    sinceJanuary === null
      ? 1
      : recent === null
        ? sinceJanuary
        : (1 - p.recentWeight) * sinceJanuary + p.recentWeight * recent;
  const sEnd = ref(dYearEnd);
  const credibility = sEnd > 0 ? clamp(s0 / sEnd, 0, 1) : 1;
  return { sinceJanuary, recent, credibility, pace: 1 + credibility * (clamp(raw, 0, p.maxPace) - 1) };
};

/** The central projection of a share at day `dT`: the share so far plus the reference's rest at the pace. */
const project = (ref: ReferenceShape, r0: number, d0: number, dT: number, pace: number): number =>
  r0 + pace * Math.max(0, ref(dT) - ref(d0));

/** What every horizon of one forecast shares: the rate so far, the reference, the pace, the floor. */
interface Projection {
  disbursedVnd: number;
  r0: number;
  pastYears: readonly YearShape[];
  pastYearsWeight: number;
  ref: ReferenceShape;
  d0: number;
  dYearEnd: number;
  pace: Pace;
  pipelineRate: number;
  /** The p10/p50/p90 at a date (the actual rate, with no interval, on or before `asOf`). */
  at: (on: IsoDate) => RateForecast;
  /** Past years' misses at a day of the fiscal year, as shares. */
  missesAt: (dT: number) => number[];
}

const projection = (input: ForecastInput, parameters: ForecastParameters): Projection | null => {
  const { fiscalYear, asOf, assignedVnd } = input;
  if (assignedVnd <= 0) return null;
  const known = input.series.filter((point) => point.date <= asOf);
  const shareOn = (day: number) =>
    clamp(cumulativeAt(known, addDays(`${fiscalYear}-01-01`, day)) / assignedVnd, 0, 1);
  const pastYears = input.pastYears ?? [];
  const { shape: ref, pastYearsWeight } = referenceShape(input.curve, fiscalYear, pastYears);
  const d0 = dayOfFiscalYear(fiscalYear, asOf);
  const dYearEnd = dayOfFiscalYear(fiscalYear, yearEndOf(fiscalYear));
  const r0 = shareOn(d0);
  const pace = paceOf(ref, shareOn, d0, dYearEnd, parameters);
  const pipelineRate = Math.max(0, input.pipelineVnd) / assignedVnd;
  const floor = clamp(r0 + parameters.pipelineConversion * pipelineRate, r0, 1);

  // Past years forecast the same way, from the same day, against the curve alone: their misses.
  const fromCurve = curveShape(input.curve, fiscalYear);
  const missesAt = (dT: number) =>
    pastYears.map((year) => {
      const own = (day: number) => shareAt(year, day);
      const yearPace = paceOf(fromCurve, own, d0, dYearEnd, parameters);
      return shareAt(year, dT) - clamp(project(fromCurve, own(d0), d0, dT, yearPace.pace), 0, 1);
    });

  const at = (on: IsoDate): RateForecast => {
    const dT = dayOfFiscalYear(fiscalYear, on);
    if (dT <= d0) {
      const actual = round4(shareOn(dT));
      return { on, p10: actual, p50: actual, p90: actual };
    }
    const p50 = clamp(Math.max(project(ref, r0, d0, dT, pace.pace), floor), r0, 1);
    const still = Math.max(0, ref(dT) - ref(d0));
    const prior = Math.max(parameters.minSpreadPoints, parameters.spreadPoints * Math.sqrt(still)) / 100;
    const misses = missesAt(dT);
    const k = parameters.spreadPriorYears;
    const spread = Math.sqrt((k * prior ** 2 + misses.reduce((s, m) => s + m ** 2, 0)) / (k + misses.length));
    return {
      on,
      p10: round4(clamp(p50 - Z90 * spread, r0, 1)),
      p50: round4(p50),
      p90: round4(clamp(p50 + Z90 * spread, r0, 1)),
    };
  };
  return {
    disbursedVnd: cumulativeAt(known, asOf),
    r0,
    pastYears,
    pastYearsWeight,
    ref,
    d0,
    dYearEnd,
    pace,
    pipelineRate,
    at,
    missesAt,
  };
};

/**
 * The rate forecast at any date `on` (p10/p50/p90), made as {@link forecastScope} makes its two: for
 * a backtest at another horizon, or a chart's band. Null when nothing is assigned.
 */
export const forecastRateAt = (
  input: ForecastInput,
  on: IsoDate,
  parameters: ForecastParameters = DEFAULT_FORECAST_PARAMETERS,
): RateForecast | null => projection(input, parameters)?.at(on) ?? null;

/**
 * Forecasts a scope's disbursement rate at 31/12 and at its deadline, as p10/p50/p90 (DESIGN §8,
 * docs/forecast.md). The pace so far (since 1 January and over the recent window, against the
 * reference: the expected curve blended with past years' shapes) is projected along the reference's
 * remaining shape, trusted the more the more of the year is behind; pending requests set a floor (the
 * share expected to convert); the interval comes from a calibrated spread that shrinks as the year
 * runs out, widened by past years' own misses. Never below what is disbursed, never above 100%.
 * Pure: reads nothing after `asOf`.
 */
export const forecastScope = (
  input: ForecastInput,
  parameters: ForecastParameters = DEFAULT_FORECAST_PARAMETERS,
): ScopeForecast => {
  const { asOf, assignedVnd } = input;
  const p = projection(input, parameters);
  const base = {
    asOf,
    assignedVnd,
    disbursedVnd: cumulativeAt(
      input.series.filter((point) => point.date <= asOf),
      asOf,
    ),
    pipelineVnd: input.pipelineVnd,
  };
  if (!p) return { ...base, rate: null, yearEnd: null, deadline: null, inputs: null };
  const yearEnd = p.at(yearEndOf(input.fiscalYear));
  const byDeadline = p.at(input.deadline);
  // A later deadline can only add disbursement: its band never sits below the year end's.
  const deadline =
    input.deadline >= yearEnd.on
      ? {
          on: byDeadline.on,
          p10: Math.max(byDeadline.p10, yearEnd.p10),
          p50: Math.max(byDeadline.p50, yearEnd.p50),
          p90: Math.max(byDeadline.p90, yearEnd.p90),
        }
      : byDeadline;

  return {
    ...base,
    rate: round4(p.disbursedVnd / assignedVnd),
    yearEnd,
    deadline,
    inputs: {
      shapeSource: p.pastYears.length > 0 ? 'curve+pastYears' : 'curve',
      pastYears: p.pastYears.length,
      pastYearsWeight: round4(p.pastYearsWeight),
      expectedRateAsOf: round4(p.ref(p.d0)),
      paceSinceJanuary: p.pace.sinceJanuary === null ? null : round4(p.pace.sinceJanuary),
      paceRecent: p.pace.recent === null ? null : round4(p.pace.recent),
      credibility: round4(p.pace.credibility),
      pace: round4(p.pace.pace),
      pipelineRate: round4(p.pipelineRate),
      pipelineConversion: parameters.pipelineConversion,
      pastYearMissPoints: p.missesAt(p.dYearEnd).map((m) => Math.round(m * 10_000) / 100),
    },
  };
};
