import type { SeriesPoint } from '../../monitoring/domain/disbursement-series.ts';
import type { Milestone } from '../../monitoring/domain/expected-curve.ts';
import { expectedPercentByFiscalDay } from '../../monitoring/domain/expected-curve.ts';
import { addDays, daysBetween, type IsoDate } from '../../platform/vn-calendar.ts';

/**
 * A point of a year's shape: by `day` (whole days after 1 January of the fiscal year, so 1 January is
 * day 0 and the next year's January continues past 364), `share` of the assigned capital was disbursed.
 */
export interface ShapePoint {
  day: number;
  /** Cumulative share of the assigned capital, 0 to 1. */
  share: number;
}

/** How a past year disbursed: its cumulative share by day of the fiscal year, in day order. */
export interface YearShape {
  fiscalYear: number;
  points: readonly ShapePoint[];
}

/** Whole days from 1 January of the fiscal year to `date` (day 0 is 1 January). */
export const dayOfFiscalYear = (fiscalYear: number, date: IsoDate): number =>
  daysBetween(`${fiscalYear}-01-01`, date);

/** The calendar date of a day of the fiscal year. */
export const dateOfFiscalDay = (fiscalYear: number, day: number): IsoDate =>
  addDays(`${fiscalYear}-01-01`, day);

/** The shape of a year from its cumulative series and what was assigned; empty when nothing was assigned. */
export const shapeOfYear = (
  fiscalYear: number,
  assignedVnd: number,
  series: readonly SeriesPoint[],
): YearShape => ({
  fiscalYear,
  points:
    assignedVnd > 0
      ? [...series]
          .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
          .map((p) => ({
            day: dayOfFiscalYear(fiscalYear, p.date),
            share: Math.min(1, Math.max(0, p.cumulativeVnd / assignedVnd)),
          }))
      : [],
});

/** The share of a shape by the end of `day`: the last point on or before it (a step), 0 before any. */
export const shareAt = (shape: YearShape, day: number): number => {
  let share = 0;
  for (const p of shape.points) {
    if (p.day > day) break;
    share = p.share;
  }
  return share;
};

/** Cumulative disbursement by the end of `date` from a series (points after it are not read). */
export const cumulativeAt = (series: readonly SeriesPoint[], date: IsoDate): number => {
  let latest: SeriesPoint | undefined;
  for (const p of series) if (p.date <= date && (!latest || p.date >= latest.date)) latest = p;
  return latest?.cumulativeVnd ?? 0;
};

/** A reference shape: the share a scope is expected to have reached by each day of the fiscal year. */
export type ReferenceShape = (day: number) => number;

/** The expected curve as a reference shape (its percent as a share). */
export const curveShape = (curve: readonly Milestone[], fiscalYear: number): ReferenceShape => {
  const percentOn = expectedPercentByFiscalDay(curve, fiscalYear);
  return (day) => percentOn(day) / 100;
};

/**
 * The reference shape the forecast projects along: the curve blended with the mean of past years'
 * shapes, the past years weighing n/(n+1) (one past year: half; two: two thirds), so a district's own
 * habits count more the more years show them; the curve alone when there is none.
 */
export const referenceShape = (
  curve: readonly Milestone[],
  fiscalYear: number,
  pastYears: readonly YearShape[] = [],
): { shape: ReferenceShape; pastYearsWeight: number } => {
  const fromCurve = curveShape(curve, fiscalYear);
  const n = pastYears.length;
  if (n === 0) return { shape: fromCurve, pastYearsWeight: 0 };
  const weight = n / (n + 1);
  return {
    shape: (day) =>
      (1 - weight) * fromCurve(day) + (weight * pastYears.reduce((s, y) => s + shareAt(y, day), 0)) / n,
    pastYearsWeight: weight,
  };
};
