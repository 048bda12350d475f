import { CAPITAL_TYPES, type CapitalType } from '../../ledger/domain/funding-line.ts';
import { type Milestone, validateCurve } from './expected-curve.ts';

/** How bad a finding is; `none` is on track (or not measured). */
export type Severity = 'none' | 'warning' | 'critical';

/** A warning and a critical threshold, the critical one at least as high. */
export interface Thresholds {
  warning: number;
  critical: number;
}

/** What the monitor measures a fiscal year against (DESIGN §2 "Progress and lag"). */
export interface MonitoringPolicy {
  curve: Milestone[];
  /** Lag, in percentage points of expected minus actual disbursement. */
  lagPoints: Thresholds;
  /** Working days a request may wait at one approval level (weekends and public holidays not counted). */
  stalledDays: Thresholds;
  /** Capital types measured against the curve: the 100% target is for public investment. */
  judgedCapitalTypes: CapitalType[];
  /** How many of the most lagging allocations an alert lists. */
  listedAllocations: number;
}

/** Defaults plus per-fiscal-year overrides (a year may change its curve or thresholds). */
export interface MonitoringConfig {
  defaults: MonitoringPolicy;
  fiscalYears: Record<string, Partial<MonitoringPolicy>>;
}

/** The policy that applies to a fiscal year: its overrides over the defaults. */
export const policyFor = (config: MonitoringConfig, fiscalYear: number): MonitoringPolicy => ({
  ...config.defaults,
  ...(Object.hasOwn(config.fiscalYears, String(fiscalYear)) ? config.fiscalYears[String(fiscalYear)] : {}),
});

/** Severity of a value against thresholds: at or above critical, at or above warning, or none. */
export const severityOf = (value: number, thresholds: Thresholds): Severity =>
  value >= thresholds.critical ? 'critical' : value >= thresholds.warning ? 'warning' : 'none';

const validateThresholds = (name: string, t: Thresholds | undefined) => {
  if (!t || !(t.warning > 0) || !(t.critical >= t.warning)) {
    throw new Error(`monitoring: ${name} needs warning > 0 and critical ≥ warning`);
  }
};

const validatePolicy = (policy: MonitoringPolicy, years: number[]) => {
  for (const year of years) validateCurve(policy.curve ?? [], year);
  validateThresholds('lagPoints', policy.lagPoints);
  validateThresholds('stalledDays', policy.stalledDays);
  const unknown = (policy.judgedCapitalTypes ?? []).filter((t) => !CAPITAL_TYPES.includes(t));
  if (!Array.isArray(policy.judgedCapitalTypes) || unknown.length > 0) {
    throw new Error(
      `monitoring: judgedCapitalTypes must list capital types among ${CAPITAL_TYPES.join(', ')}`,
    );
  }
  if (!Number.isInteger(policy.listedAllocations) || policy.listedAllocations < 0) {
    throw new Error('monitoring: listedAllocations must be a whole number');
  }
};

/** Checks the configuration at load: a broken curve must stop the deployment, not skew every alert. */
export const validateMonitoringConfig = (config: MonitoringConfig): MonitoringConfig => {
  // The defaults serve every year, leap or not.
  validatePolicy(config.defaults, [2023, 2024]);
  for (const year of Object.keys(config.fiscalYears)) {
    if (!/^\d{4}$/.test(year)) throw new Error(`monitoring: fiscal year "${year}" is not a year`);
    validatePolicy(policyFor(config, Number(year)), [Number(year)]);
  }
  return config;
};
