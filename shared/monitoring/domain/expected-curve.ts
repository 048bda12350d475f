import { dayNumber, type IsoDate, isIsoDate } from '../../platform/vn-calendar.ts';

/**
 * A point of the expected-disbursement curve: by this day of the fiscal year (or of the next year,
 * which may still disburse the plan until 31 January), this share of the assigned capital should be
 * disbursed ("tiến độ giải ngân kế hoạch").
 */
export interface Milestone {
  /** Month and day, `MM-DD`. */
  on: string;
  /** The milestone falls in the year after the fiscal year (31/1 of the next year). */
  nextYear?: boolean;
  /** Expected disbursement, in percent of the assigned capital. */
  percent: number;
}

/** The calendar date of a milestone in a given fiscal year. */
export const milestoneDate = (milestone: Milestone, fiscalYear: number): IsoDate =>
  `${fiscalYear + (milestone.nextYear ? 1 : 0)}-${milestone.on}`;

/** Checks a curve for one fiscal year: real dates, in order, after 1 January, percentages rising from 0 to at most 100. */
export const validateCurve = (curve: readonly Milestone[], fiscalYear: number): void => {
  if (curve.length === 0) throw new Error('monitoring: the expected curve has no milestone');
  let previousDay = dayNumber(`${fiscalYear}-01-01`);
  let previousPercent = 0;
  for (const m of curve) {
    const date = milestoneDate(m, fiscalYear);
    if (!/^\d{2}-\d{2}$/.test(m.on) || !isIsoDate(date)) {
      throw new Error(
        `monitoring: milestone "${m.on}" is not a real MM-DD date in ${fiscalYear} (29 February exists only in leap years)`,
      );
    }
    const day = dayNumber(date);
    if (day <= previousDay)
      throw new Error(`monitoring: milestone ${date} is not after the one before it (or 1 January)`);
    if (!Number.isFinite(m.percent) || m.percent < previousPercent || m.percent > 100) {
      throw new Error(
        `monitoring: milestone ${date} must expect between ${previousPercent}% (the one before) and 100%`,
      );
    }
    previousDay = day;
    previousPercent = m.percent;
  }
};

/** A curve's points as day numbers for one fiscal year, from 0% on 1 January: what is interpolated. */
const curvePoints = (curve: readonly Milestone[], fiscalYear: number) => [
  { day: dayNumber(`${fiscalYear}-01-01`), percent: 0 },
  ...curve.map((m) => ({ day: dayNumber(milestoneDate(m, fiscalYear)), percent: m.percent })),
];

const percentOnDay = (points: readonly { day: number; percent: number }[], day: number): number => {
  let from = points[0] ?? { day, percent: 0 };
  if (day <= from.day) return 0;
  for (let i = 1; i < points.length; i++) {
    const to = points[i] ?? from;
    if (day <= to.day)
      return from.percent + ((to.percent - from.percent) * (day - from.day)) / (to.day - from.day);
    from = to;
  }
  return from.percent;
};

/**
 * Expected disbursement in percent at a date: 0% on 1 January of the fiscal year, then piecewise
 * linear between milestones by whole days (so leap years count their 29 February), flat after the last.
 */
export const expectedPercent = (curve: readonly Milestone[], fiscalYear: number, asOf: IsoDate): number =>
  percentOnDay(curvePoints(curve, fiscalYear), dayNumber(asOf));

/**
 * `expectedPercent` by day of the fiscal year (0 is 1 January), the milestones' dates read once: for a
 * forecast that asks it of every day of the year for every scope (a province's monitor run spent most of
 * its own time reading those dates again).
 */
export const expectedPercentByFiscalDay = (
  curve: readonly Milestone[],
  fiscalYear: number,
): ((day: number) => number) => {
  const points = curvePoints(curve, fiscalYear);
  const start = points[0]?.day ?? 0;
  return (day) => percentOnDay(points, start + day);
};

/** The last day the curve covers: the end of the disbursement window of the fiscal year's plan. */
export const curveEnd = (curve: readonly Milestone[], fiscalYear: number): IsoDate => {
  const last = curve.at(-1);
  return last ? milestoneDate(last, fiscalYear) : `${fiscalYear}-12-31`;
};

/**
 * The curves a jurisdiction sets per fiscal year: one per capital type, and one for capital carried
 * over from an earlier year ("vốn năm trước chuyển sang"), whatever its type.
 */
export const CURVE_KINDS = ['investment', 'recurrent', 'carriedOver'] as const;
export type CurveKind = (typeof CURVE_KINDS)[number];

/** The curve of each kind that applies to one jurisdiction's fiscal year. */
export type CurveSet = Readonly<Record<CurveKind, readonly Milestone[]>>;

/**
 * The expected curves as configured: defaults per kind, and a jurisdiction's own per fiscal year
 * (a province's quarterly targets), each kind optional (absent: the default's).
 */
export interface CurveConfig {
  defaults: CurveSet;
  jurisdictions: Readonly<Record<string, Readonly<Record<string, Partial<CurveSet>>>>>;
}

/** The curve an allocation is judged against: carried-over capital has its own, else its capital type's. */
export const curveKindOf = (a: {
  capitalType: 'investment' | 'recurrent';
  carriedOver?: boolean | undefined;
}): CurveKind => (a.carriedOver ? 'carriedOver' : a.capitalType);

/** The curves of a jurisdiction's fiscal year: its own where set, the defaults for the other kinds. */
export const curvesFor = (config: CurveConfig, jurisdiction: string, fiscalYear: number): CurveSet => {
  const years = Object.hasOwn(config.jurisdictions, jurisdiction)
    ? config.jurisdictions[jurisdiction]
    : undefined;
  const own = years && Object.hasOwn(years, String(fiscalYear)) ? years[String(fiscalYear)] : undefined;
  return {
    investment: own?.investment ?? config.defaults.investment,
    recurrent: own?.recurrent ?? config.defaults.recurrent,
    carriedOver: own?.carriedOver ?? config.defaults.carriedOver,
  };
};

/** The last day any of a year's curves covers: until then the year's plan may still be disbursed. */
export const curvesEnd = (curves: CurveSet, fiscalYear: number): IsoDate =>
  // ISO dates sort as text.
  CURVE_KINDS.map((k) => curveEnd(curves[k], fiscalYear))
    .sort()
    .at(-1) ?? `${fiscalYear}-12-31`;
