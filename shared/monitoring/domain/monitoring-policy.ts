import { type CurveConfig, type CurveSet, curvesFor } from './expected-curve.ts';

/** How bad a finding is; `none` is on track (or not measured). */
export type Severity = 'none' | 'warning' | 'critical';

/** A warning and a critical threshold, the critical one at least as high. */
export interface Thresholds {
  warning: number;
  critical: number;
}

/**
 * When a scope's forecast is a finding (docs/monitoring.md, Forecast alerts): the `percentile` of its
 * band at its deadline below the curve's target there by more than `marginPoints`, at `severity`.
 */
export interface ForecastMissSettings {
  percentile: 'p10' | 'p50' | 'p90';
  /** Percentage points below the target the judged point must fall to be a finding. */
  marginPoints: number;
  severity: 'warning' | 'critical';
}

/** The thresholds and limits the monitor applies to a fiscal year (DESIGN §2 "Progress and lag"). */
export interface PolicySettings {
  /** Lag, in percentage points of expected minus actual disbursement. */
  lagPoints: Thresholds;
  /** Working days a request may wait at one approval level (weekends and public holidays not counted). */
  stalledDays: Thresholds;
  /** How many of the most lagging allocations an alert lists. */
  listedAllocations: number;
  /** Forecast alerts: which point of the band is judged, by what margin, at what severity. */
  forecastMiss: ForecastMissSettings;
}

/**
 * What the monitor measures one jurisdiction's fiscal year against: the settings of the year and the
 * expected curve of each kind (every capital type is judged, carried-over capital against its own).
 */
export interface MonitoringPolicy extends PolicySettings {
  curves: CurveSet;
}

/** Defaults plus per-fiscal-year overrides of the settings, and the curves per jurisdiction and year. */
export interface MonitoringConfig {
  defaults: PolicySettings;
  fiscalYears: Record<string, Partial<PolicySettings>>;
  curves: CurveConfig;
}

/** The policy that applies to a jurisdiction's fiscal year: the year's overrides over the defaults, its curves. */
export const policyFor = (
  config: MonitoringConfig,
  fiscalYear: number,
  jurisdiction: string,
): MonitoringPolicy => ({
  ...config.defaults,
  ...(Object.hasOwn(config.fiscalYears, String(fiscalYear)) ? config.fiscalYears[String(fiscalYear)] : {}),
  curves: curvesFor(config.curves, jurisdiction, fiscalYear),
});

/** Severity of a value against thresholds: at or above critical, at or above warning, or none. */
export const severityOf = (value: number, thresholds: Thresholds): Severity =>
  value >= thresholds.critical ? 'critical' : value >= thresholds.warning ? 'warning' : 'none';
