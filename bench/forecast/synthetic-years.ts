import { seededRandom } from '../../local/sdk-faults.ts';
import { expectedPercent, type Milestone } from '../../shared/monitoring/domain/expected-curve.ts';
import { addDays, daysBetween, type IsoDate } from '../../shared/platform/vn-calendar.ts';
import { type BacktestCase, pastYearShape } from './backtest.ts';

/**
 * Generated disbursement years for the forecast's backtest: four shapes a district's scopes show
 * (docs/forecast.md). Seeded (mulberry32), so a seed always gives the same years.
 */
/** The seed and size of the figures in docs/forecast.md (`npm run -s backtest`). */
export const BACKTEST_SEED = 20_240_630;
export const BACKTEST_PER_SHAPE = 200;

export const YEAR_SHAPES = ['on-curve', 'front-loaded', 'late-starter', 'stalled'] as const;
export type YearShapeKind = (typeof YEAR_SHAPES)[number];

/** One request of a generated year: submitted one day, paid (posted) a later one. */
export interface GeneratedPayment {
  submittedOn: IsoDate;
  postedOn: IsoDate;
  amountVnd: number;
}

/** A scope's generated year: what was assigned and every payment, in posting order. */
export interface GeneratedYear {
  fiscalYear: number;
  shape: YearShapeKind;
  assignedVnd: number;
  payments: GeneratedPayment[];
}

/** A generated scope: the year to forecast, and the past years that show its habits. */
export interface GeneratedScope {
  id: string;
  shape: YearShapeKind;
  year: GeneratedYear;
  pastYears: GeneratedYear[];
}

type Random = () => number;
const between = (random: Random, lo: number, hi: number) => lo + (hi - lo) * random();

/** The cumulative share a shape aims at by each day of its year, drawn once per year. */
const targetOf = (
  shape: YearShapeKind,
  random: Random,
  curveShare: (day: number) => number,
  lastDay: number,
): ((day: number) => number) => {
  const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
  switch (shape) {
    case 'on-curve': {
      // The curve bent a little ahead or behind (power g), ending at 90–100%.
      const final = between(random, 0.9, 1);
      const g = between(random, 0.85, 1.15);
      return (day) => final * curveShare(day) ** g;
    }
    case 'front-loaded': {
      // Most paid by mid-year, done by September–November.
      const final = between(random, 0.95, 1);
      const done = between(random, 240, 330);
      const a = between(random, 0.5, 0.8);
      return (day) => final * clamp01(day / done) ** a;
    }
    case 'late-starter': {
      // Almost nothing until June–August, then a run to the deadline (often a year-end rush).
      const start = between(random, 140, 230);
      const early = between(random, 0, 0.04);
      const final = between(random, 0.7, 1);
      const a = between(random, 0.8, 1.6);
      return (day) =>
        day < start
          ? early * (day / start)
          : early + (final - early) * clamp01((day - start) / (lastDay - start)) ** a;
    }
    case 'stalled': {
      // On or near the curve, then a stall of months (a site dispute, a contractor gone), a partial
      // restart for some, none before the deadline for others.
      const g = between(random, 0.9, 1.2);
      const stall = between(random, 100, 230);
      const resume = stall + between(random, 90, 260);
      const level = curveShare(stall) ** g;
      const final = Math.min(0.85, level + between(random, 0, 0.35));
      return (day) =>
        day <= stall
          ? curveShare(day) ** g
          : day <= resume || resume >= lastDay
            ? level
            : level + (final - level) * ((day - resume) / (lastDay - resume));
    }
  }
};

/** One scope's year of a shape: payments on random days (about every ten days) paying up to the target. */
export const generateYear = (
  random: Random,
  shape: YearShapeKind,
  fiscalYear: number,
  curve: readonly Milestone[],
  deadline: IsoDate,
): GeneratedYear => {
  const jan1 = `${fiscalYear}-01-01`;
  const lastDay = daysBetween(jan1, deadline);
  const curveShare = (day: number) => expectedPercent(curve, fiscalYear, addDays(jan1, day)) / 100;
  const target = targetOf(shape, random, curveShare, lastDay);
  const assignedVnd = Math.round(between(random, 1, 20) * 1_000) * 1_000_000;
  const payments: GeneratedPayment[] = [];
  let paid = 0;
  for (let day = 1; day <= lastDay; day++) {
    if (random() >= 0.1 && day !== lastDay) continue;
    const amountVnd = Math.round(target(day) * assignedVnd) - paid;
    if (amountVnd <= 0) continue;
    // Requested 5–25 days before it is paid: pending in between (the pipeline).
    const lag = 5 + Math.floor(random() * 21);
    payments.push({
      submittedOn: addDays(jan1, Math.max(0, day - lag)),
      postedOn: addDays(jan1, day),
      amountVnd,
    });
    paid += amountVnd;
  }
  return { fiscalYear, shape, assignedVnd, payments };
};

/**
 * `perShape` scopes of each shape for `fiscalYear`, each with `pastYearCount` past years that keep its
 * shape seven times in ten (habits persist, not always). Deterministic for a seed.
 */
export const generateScopes = (options: {
  seed: number;
  perShape: number;
  fiscalYear: number;
  curve: readonly Milestone[];
  pastYearCount: number;
}): GeneratedScope[] => {
  const random = seededRandom(options.seed);
  const deadlineOf = (year: number) => `${year + 1}-01-31`;
  return YEAR_SHAPES.flatMap((shape) =>
    Array.from({ length: options.perShape }, (_, i): GeneratedScope => {
      const pastYears = Array.from({ length: options.pastYearCount }, (_, k) => {
        const year = options.fiscalYear - options.pastYearCount + k;
        const pastShape =
          random() < 0.7 ? shape : (YEAR_SHAPES[Math.floor(random() * YEAR_SHAPES.length)] ?? shape);
        return generateYear(random, pastShape, year, options.curve, deadlineOf(year));
      });
      return {
        id: `${shape}-${i + 1}`,
        shape,
        year: generateYear(random, shape, options.fiscalYear, options.curve, deadlineOf(options.fiscalYear)),
        pastYears,
      };
    }),
  );
};

/** The generated scopes as backtest cases, reported per shape; past years' shapes only when asked. */
export const generatedCases = (options: {
  seed: number;
  perShape: number;
  pastYearCount: number;
  curve: readonly Milestone[];
  fiscalYear?: number;
}): BacktestCase[] => {
  const fiscalYear = options.fiscalYear ?? 2023;
  return generateScopes({ ...options, fiscalYear }).map((s) => ({
    id: s.id,
    group: s.shape,
    fiscalYear,
    assignedVnd: s.year.assignedVnd,
    payments: s.year.payments,
    pastYears: s.pastYears.map(pastYearShape),
    curve: options.curve,
    deadline: `${fiscalYear + 1}-01-31`,
  }));
};
