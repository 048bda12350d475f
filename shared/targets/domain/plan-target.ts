import type { CapitalType } from '../../ledger/domain/funding-line.ts';
import { type IsoDate, isIsoDate } from '../../platform/vn-calendar.ts';

/** A text in Vietnamese (shown by default) and English. */
export interface LocalizedText {
  vi: string;
  en: string;
}

/**
 * A target ("chỉ tiêu"): a single figure has `min === max`, "at least N" has `min` only, a range such
 * as 270–330 households has both. It is met once the actual reaches `min`.
 */
export interface TargetRange {
  min: number;
  max?: number;
}

/** Where an indicator's actual comes from. */
export const INDICATOR_SOURCES = ['outputs', 'measurements', 'disbursement'] as const;
export type IndicatorSource = (typeof INDICATOR_SOURCES)[number];

export const INDICATOR_STATUSES = ['met', 'in_progress', 'no_data'] as const;
export type IndicatorStatus = (typeof INDICATOR_STATUSES)[number];

/** A part of an indicator (infrastructure works by type, workers placed abroad), counted from its own output keys. */
export interface IndicatorPart {
  code: string;
  name: LocalizedText;
  outputKeys: string[];
  target?: TargetRange;
}

/** One indicator of a year's plan, as the planner defines it. */
export interface Indicator {
  /** `<fiscalYear>.<code>`, e.g. `2024.houses`: unique within its jurisdiction. */
  id: string;
  /** The jurisdiction whose plan it is; absent on indicators stored before jurisdictions (the upgrade default's). */
  jurisdiction?: string;
  fiscalYear: number;
  code: string;
  name: LocalizedText;
  unit: LocalizedText;
  target: TargetRange;
  source: IndicatorSource;
  /** Position in the plan's list (1 = first); indicators without one come last, by code. */
  order?: number;
  /**
   * For `outputs` indicators: the output keys declared on disbursement requests whose counts add up
   * to the actual (each counted once, so `workers` and `workersAbroad` are disjoint).
   */
  outputKeys?: string[];
  breakdown?: IndicatorPart[];
  updatedAt: string;
  updatedBy: string;
}

/** A figure that comes from outside the ledger (the poor households counted by the annual review), with date and source. */
export interface Measurement {
  id: string;
  indicatorId: string;
  /** Its indicator's jurisdiction; absent on measurements stored before jurisdictions. */
  jurisdiction?: string;
  value: number;
  /** The day the figure describes, `YYYY-MM-DD`. */
  date: IsoDate;
  /** Where the figure comes from ("Kết quả rà soát hộ nghèo năm 2024"). */
  source: string;
  recordedBy: string;
  recordedAt: string;
}

/** What a year's allocations say for the indicators: their running totals and the outputs posted on them. */
export interface AllocationFigures {
  capitalType: CapitalType;
  assignedVnd: number;
  disbursedVnd: number;
  /** Outputs declared on the allocation's disbursed requests, summed per key. */
  outputs?: Record<string, number>;
}

/** The figures of one allocation that must stay within range: its VND totals and each output count. */
export const figureTotals = (f: AllocationFigures): Record<string, unknown> => ({
  assignedVnd: f.assignedVnd,
  disbursedVnd: f.disbursedVnd,
  ...Object.fromEntries(Object.entries(f.outputs ?? {}).map(([key, n]) => [`outputs.${key}`, n])),
});

/** The year's figures an indicator's actual is computed from. */
export interface YearFigures {
  outputs: Record<string, number>;
  /** Public-investment capital of the year: assigned (after adjustments) and disbursed. */
  investment: { assignedVnd: number; disbursedVnd: number };
}

const ID_PATTERN = /^(\d{4})\.([A-Za-z][A-Za-z0-9_-]{0,31})$/;

export const indicatorId = (fiscalYear: number, code: string): string => `${fiscalYear}.${code}`;

/** The fiscal year and code of an indicator id, or undefined when it is not one. */
export const parseIndicatorId = (id: string): { fiscalYear: number; code: string } | undefined => {
  const match = ID_PATTERN.exec(id);
  if (!match?.[1] || !match[2]) return undefined;
  return { fiscalYear: Number(match[1]), code: match[2] };
};

/** An output's count: own keys only, so a name such as `constructor` never reads Object's prototype. */
const countOf = (outputs: Record<string, number>, key: string): number =>
  Object.hasOwn(outputs, key) ? (outputs[key] ?? 0) : 0;

/**
 * The closed catalogue of a year's output keys: those its indicators count, on themselves and on their
 * parts, sorted. A request may declare outputs only under these keys (a typo would never be counted).
 */
export const declaredOutputKeys = (
  indicators: readonly Pick<Indicator, 'outputKeys' | 'breakdown'>[],
): string[] =>
  [
    ...new Set(
      indicators.flatMap((i) => [
        ...(i.outputKeys ?? []),
        ...(i.breakdown ?? []).flatMap((p) => p.outputKeys),
      ]),
    ),
  ].sort();

/** The first output key of a request that the year's catalogue does not hold, or undefined. */
export const undeclaredOutputKey = (
  outputs: Record<string, number>,
  declared: readonly string[],
): string | undefined => Object.keys(outputs).find((key) => !declared.includes(key));

/** Sums the outputs and investment totals of a year's allocations; cost grows with allocations, never with the ledger. */
export const yearFigures = (allocations: readonly AllocationFigures[]): YearFigures => {
  const outputs: Record<string, number> = {};
  const investment = { assignedVnd: 0, disbursedVnd: 0 };
  for (const a of allocations) {
    for (const [key, count] of Object.entries(a.outputs ?? {})) outputs[key] = countOf(outputs, key) + count;
    if (a.capitalType === 'investment') {
      investment.assignedVnd += a.assignedVnd;
      investment.disbursedVnd += a.disbursedVnd;
    }
  }
  return { outputs, investment };
};

/** A target with `min` first, as the API shows it. */
const targetView = (t: TargetRange): TargetRange => ({
  min: t.min,
  ...(t.max !== undefined ? { max: t.max } : {}),
});

/** The plan's order: by `order`, then by code. */
export const byPlanOrder = (a: Pick<Indicator, 'order' | 'code'>, b: Pick<Indicator, 'order' | 'code'>) =>
  (a.order ?? Number.MAX_SAFE_INTEGER) - (b.order ?? Number.MAX_SAFE_INTEGER) || a.code.localeCompare(b.code);

const round = (value: number, decimals: number) => {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
};

/** The latest measurement by the day it describes; of two for the same day, the one recorded last. */
export const latestMeasurement = (measurements: readonly Measurement[]): Measurement | undefined =>
  measurements.reduce<Measurement | undefined>((latest, m) => {
    if (!latest) return m;
    if (m.date !== latest.date) return m.date > latest.date ? m : latest;
    return m.recordedAt >= latest.recordedAt ? m : latest;
  }, undefined);

const sumOf = (outputs: Record<string, number>, keys: readonly string[]) =>
  keys.reduce((sum, k) => sum + countOf(outputs, k), 0);

/** Actual / target.min (1 = met), to 4 decimals, below 1 while short of the target; null without an actual. A target of 0 is met by any actual ≥ 0. */
export const progressOf = (actual: number | null, target: TargetRange): number | null => {
  if (actual === null) return null;
  if (target.min <= 0) return actual >= target.min ? 1 : 0;
  const progress = round(actual / target.min, 4);
  // Rounding must not show 1 (met) for an actual just short of the target.
  return actual < target.min ? Math.min(progress, 0.9999) : progress;
};

export const statusOf = (actual: number | null, target: TargetRange): IndicatorStatus => {
  if (actual === null) return 'no_data';
  return actual >= target.min ? 'met' : 'in_progress';
};

/** The public-investment disbursement rate of the year, in percent to 1 decimal; null when nothing is assigned. */
export const disbursementPercent = ({
  assignedVnd,
  disbursedVnd,
}: YearFigures['investment']): number | null => {
  if (assignedVnd <= 0) return null;
  const percent = round((disbursedVnd / assignedVnd) * 100, 1);
  // 99.96% rounds to 100.0, which would read as the 100% target met.
  return disbursedVnd < assignedVnd ? Math.min(percent, 99.9) : percent;
};

/** The actual of an indicator: counted outputs, the latest measurement, or the disbursement rate. */
export const actualOf = (
  indicator: Pick<Indicator, 'source' | 'outputKeys'>,
  figures: YearFigures,
  latest?: Pick<Measurement, 'value'>,
): number | null => {
  switch (indicator.source) {
    case 'outputs':
      return sumOf(figures.outputs, indicator.outputKeys ?? []);
    case 'measurements':
      return latest ? latest.value : null;
    case 'disbursement':
      return disbursementPercent(figures.investment);
  }
};

export interface PartProgress {
  code: string;
  name: LocalizedText;
  actual: number;
  target?: TargetRange;
  progress?: number | null;
  status?: IndicatorStatus;
}

/** An indicator with its actual, progress and status (the `GET /targets` item). */
export interface IndicatorProgress extends Omit<Indicator, 'breakdown' | 'updatedAt' | 'updatedBy'> {
  actual: number | null;
  progress: number | null;
  status: IndicatorStatus;
  breakdown?: PartProgress[];
  lastMeasurement?: Omit<Measurement, 'id' | 'indicatorId'>;
}

/** Computes where an indicator stands from the year's figures and, for measured ones, its latest measurement. */
export const evaluateIndicator = (
  indicator: Indicator,
  figures: YearFigures,
  latest?: Measurement,
): IndicatorProgress => {
  const measured = indicator.source === 'measurements' ? latest : undefined;
  const actual = actualOf(indicator, figures, measured);
  const breakdown = indicator.breakdown?.map((part): PartProgress => {
    const partActual = sumOf(figures.outputs, part.outputKeys);
    return {
      code: part.code,
      name: { vi: part.name.vi, en: part.name.en },
      actual: partActual,
      ...(part.target
        ? {
            target: targetView(part.target),
            progress: progressOf(partActual, part.target),
            status: statusOf(partActual, part.target),
          }
        : {}),
    };
  });
  return {
    id: indicator.id,
    fiscalYear: indicator.fiscalYear,
    code: indicator.code,
    name: { vi: indicator.name.vi, en: indicator.name.en },
    unit: { vi: indicator.unit.vi, en: indicator.unit.en },
    target: targetView(indicator.target),
    source: indicator.source,
    ...(indicator.order !== undefined ? { order: indicator.order } : {}),
    ...(indicator.outputKeys ? { outputKeys: indicator.outputKeys } : {}),
    actual,
    progress: progressOf(actual, indicator.target),
    status: statusOf(actual, indicator.target),
    ...(breakdown ? { breakdown } : {}),
    ...(measured
      ? {
          lastMeasurement: {
            value: measured.value,
            date: measured.date,
            source: measured.source,
            recordedBy: measured.recordedBy,
            recordedAt: measured.recordedAt,
          },
        }
      : {}),
  };
};

/** Why a definition is not usable, or undefined when it is (rules zod cannot express field by field). */
export const definitionProblem = (
  d: Pick<Indicator, 'source' | 'target' | 'outputKeys' | 'breakdown'>,
): string | undefined => {
  const ranges = [d.target, ...(d.breakdown ?? []).flatMap((p) => (p.target ? [p.target] : []))];
  if (ranges.some((t) => t.max !== undefined && t.max < t.min))
    return 'target.max must not be below target.min';
  if (d.source === 'outputs' && !d.outputKeys?.length) {
    return 'an indicator counted from outputs needs outputKeys: the output keys declared on requests';
  }
  if (d.source !== 'outputs' && (d.outputKeys !== undefined || d.breakdown !== undefined)) {
    return `outputKeys and breakdown apply only to indicators counted from outputs, not to source "${d.source}"`;
  }
  const codes = (d.breakdown ?? []).map((p) => p.code);
  if (new Set(codes).size !== codes.length) return 'breakdown codes must be different from each other';
  return undefined;
};

/**
 * Why a measurement's day is not acceptable for the indicator's year, or undefined: it must lie in the
 * fiscal year or the next (the annual review reports after the year ends), and not after `today`.
 */
export const measurementDateProblem = (
  date: string,
  fiscalYear: number,
  today: IsoDate,
): string | undefined => {
  if (!isIsoDate(date)) return 'date must be a calendar date written YYYY-MM-DD';
  if (date < `${fiscalYear}-01-01` || date > `${fiscalYear + 1}-12-31`) {
    return `date must fall in ${fiscalYear} or ${fiscalYear + 1} (the year of the indicator, or its review the year after)`;
  }
  if (date > today) return `date must not be later than today (${today})`;
  return undefined;
};
