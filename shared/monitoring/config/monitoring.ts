import * as z from 'zod';
import { JURISDICTIONS } from '../../jurisdictions/config/index.ts';
import { problemsOf } from '../../platform/config/approval-policies/load.ts';
import {
  CURVE_KINDS,
  type CurveConfig,
  type CurveKind,
  type Milestone,
  validateCurve,
} from '../domain/expected-curve.ts';
import type { MonitoringConfig } from '../domain/monitoring-policy.ts';
import curvesJson from './curves.json' with { type: 'json' };
import monitoringJson from './monitoring.json' with { type: 'json' };

const thresholds = z
  .strictObject({
    warning: z.number('must be a number').positive('must be greater than 0'),
    critical: z.number('must be a number'),
  })
  .refine((t) => t.critical >= t.warning, 'critical must be at least warning');

const forecastMiss = z.strictObject({
  percentile: z.enum(['p10', 'p50', 'p90'], 'must be "p10", "p50" or "p90" (the point of the band judged)'),
  marginPoints: z
    .number('must be a number of percentage points')
    .min(0, 'must be at least 0')
    .max(100, 'must be at most 100'),
  severity: z.enum(['warning', 'critical'], 'must be "warning" or "critical"'),
});

const settings = {
  lagPoints: thresholds,
  stalledDays: thresholds,
  listedAllocations: z.int('must be a whole number').min(0, 'must be at least 0'),
  forecastMiss,
};

/** monitoring.json: thresholds per fiscal year; the curves live in curves.json. */
const SettingsDocument = z.strictObject({
  defaults: z.strictObject(settings),
  fiscalYears: z.record(
    z.string().regex(/^\d{4}$/, 'must be a year written YYYY'),
    z.strictObject(settings).partial(),
  ),
});

const milestone = z.strictObject({
  on: z.string().regex(/^\d{2}-\d{2}$/, 'must be a day written MM-DD'),
  nextYear: z.boolean().optional(),
  percent: z.number('must be a number of percent').min(0).max(100, 'must be at most 100'),
});

/** Checks a curve's dates and percentages in each given year (the domain rule), as a zod issue at its path. */
const checkCurve =
  (kind: CurveKind, years: readonly number[]) => (curve: Milestone[], ctx: z.RefinementCtx) => {
    try {
      for (const year of years) validateCurve(curve, year);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message.replace(/^monitoring: /, '') });
      return;
    }
    // Carried-over capital may be paid until 31 December of the year it is carried into, never later
    // (Law on Public Investment 2019, art. 68; 2024, art. 72): its curve cannot reach into the next year.
    if (kind === 'carriedOver' && curve.some((m) => m.nextYear)) {
      ctx.addIssue({
        code: 'custom',
        message:
          'carried-over capital must be disbursed by 31 December of the year it is carried into; drop nextYear',
      });
    }
  };

const curve = (kind: CurveKind, years: readonly number[]) =>
  z.array(milestone).min(1, 'must list at least one milestone').superRefine(checkCurve(kind, years));

const curveSet = (years: readonly number[], partial: boolean) => {
  const shape = Object.fromEntries(CURVE_KINDS.map((k) => [k, curve(k, years)])) as Record<
    CurveKind,
    ReturnType<typeof curve>
  >;
  return partial ? z.strictObject(shape).partial() : z.strictObject(shape);
};

/**
 * curves.json: the defaults serve every year, leap or not; a jurisdiction's own curves are checked in
 * their year (record keys checked here, so the message names the key and what to fix).
 */
const curvesDocument = (jurisdictions: readonly string[]) =>
  z.strictObject({
    source: z.string().min(1, 'must say where the figures come from'),
    defaults: curveSet([2023, 2024], false),
    jurisdictions: z
      .record(z.string(), z.record(z.string(), z.unknown()))
      .superRefine((byJurisdiction, ctx) => {
        for (const [jurisdiction, years] of Object.entries(byJurisdiction)) {
          if (!jurisdictions.includes(jurisdiction)) {
            ctx.addIssue({
              code: 'custom',
              path: [jurisdiction],
              message: `must be a jurisdiction of the deployment: ${jurisdictions.join(', ')}`,
            });
            continue;
          }
          for (const [year, set] of Object.entries(years)) {
            if (!/^\d{4}$/.test(year)) {
              ctx.addIssue({
                code: 'custom',
                path: [jurisdiction, year],
                message: 'must be a year written YYYY',
              });
              continue;
            }
            for (const issue of curveSet([Number(year)], true).safeParse(set).error?.issues ?? []) {
              ctx.addIssue({
                code: 'custom',
                path: [jurisdiction, year, ...issue.path],
                message: issue.message,
              });
            }
          }
        }
      }),
  });

/**
 * Parses the monitoring settings and the expected curves, or throws naming the file, the field and
 * what to fix: a broken curve must stop the deployment, not skew every alert.
 */
export const loadMonitoringConfig = (
  files: { monitoring: unknown; curves: unknown },
  jurisdictions: readonly string[],
): MonitoringConfig => {
  const parsedSettings = SettingsDocument.safeParse(files.monitoring);
  if (!parsedSettings.success) throw new Error(`monitoring.json: ${problemsOf(parsedSettings.error)}`);
  const parsedCurves = curvesDocument(jurisdictions).safeParse(files.curves);
  if (!parsedCurves.success) throw new Error(`curves.json: ${problemsOf(parsedCurves.error)}`);
  const { source: _, ...curves } = parsedCurves.data;
  return { ...parsedSettings.data, curves: curves as CurveConfig };
};

/** Lag and stalled-approval thresholds per fiscal year, and the expected curves per jurisdiction, year and kind (edit the JSON files). */
export const monitoringConfig: MonitoringConfig = loadMonitoringConfig(
  { monitoring: monitoringJson, curves: curvesJson },
  JURISDICTIONS.map((j) => j.id),
);
