import { splitAllocations } from '../../ledger/domain/allocation.ts';
import { type Actor, jurisdictionOfScope, reachable, scopeOf } from '../../platform/access.ts';
import { problemsField, type TotalsProblem } from '../../platform/total-range.ts';
import { type IsoDate, vnDateOf, yearOf } from '../../platform/vn-calendar.ts';
import { type MonitoringConfig, policyFor } from '../domain/monitoring-policy.ts';
import { measureProgress, type ProgressRow, type ScopeLevel } from '../domain/progress.ts';
import type { ProgressSource } from './ports.ts';

export interface ProgressReportDeps {
  progress: ProgressSource;
  config: MonitoringConfig;
  now: () => Date;
}

export interface ProgressReportInput {
  fiscalYear?: number;
  asOf?: IsoDate;
  groupBy?: ScopeLevel;
}

/** The value a row is grouped by: the funding line, commune, component or allocation id. */
const keyOf = (row: ProgressRow): string => {
  const s = row.scope;
  switch (s.level) {
    case 'district':
      return 'district';
    case 'fundingLine':
      return s.fundingLine ?? '';
    case 'commune':
      return s.commune ?? '';
    case 'component':
      return s.component ?? '';
    case 'allocation':
      return s.allocationId ?? '';
  }
};

/** A percentage in hundredths as the API shows rates: a fraction (32.5 → 0.325). */
export const percentAsFraction = (percent: number | null): number | null =>
  percent === null ? null : Math.round(percent * 100) / 10_000;

/** A report row as the API shows it; rates as fractions (0.32), lag in percentage points. */
export const reportRow = (row: ProgressRow) => ({
  key: keyOf(row),
  capitalType: row.scope.capitalType,
  carriedOver: row.scope.carriedOver ?? false,
  ...(row.title ? { title: row.title } : {}),
  allocations: row.allocations,
  assignedVnd: row.assignedVnd,
  reservedVnd: row.reservedVnd,
  disbursedVnd: row.disbursedVnd,
  advancedVnd: row.advancedVnd,
  advanceOutstandingVnd: row.advanceOutstandingVnd,
  rate: percentAsFraction(row.ratePercent),
  expectedRate: percentAsFraction(row.expectedPercent),
  lagPoints: row.lagPoints,
  severity: row.severity,
});

/**
 * Progress of a fiscal year of the caller's jurisdiction grouped one way, split by capital type and,
 * apart from the year's own, capital carried over from an earlier year (`carriedOver`); each row is
 * judged against its jurisdiction's curve for the year and its kind. A
 * commune-scoped reader sees the roll-up of their commune's allocations only. An allocation with a
 * total stored out of range is left out of every row and named in `problems`.
 */
export const progressReport = async (deps: ProgressReportDeps, actor: Actor, input: ProgressReportInput) => {
  const { fiscalYear, asOf, groupBy, rows, problems } = await measuredProgress(deps, actor, input);
  return { fiscalYear, asOf, groupBy, rows: rows.map(reportRow), ...problemsField(problems) };
};

/**
 * What GET /reports/progress shows, before it is mapped to the API's rows: the year, the day, the
 * measured rows at the grouping's level and the problems. Report files are built from it, so their
 * figures are those of GET /reports/progress for the same query.
 */
export const measuredProgress = async (
  deps: ProgressReportDeps,
  actor: Actor,
  input: ProgressReportInput,
): Promise<MeasuredProgress> => {
  const asOf = input.asOf ?? vnDateOf(deps.now());
  const fiscalYear = input.fiscalYear ?? yearOf(asOf);
  const groupBy = input.groupBy ?? 'fundingLine';
  const scope = scopeOf(actor);
  const jurisdiction = jurisdictionOfScope(scope);
  const all = await deps.progress.listAllocationsOfYear(jurisdiction, fiscalYear);
  const { items, problems } = splitAllocations(reachable(scope, all));
  const policy = policyFor(deps.config, fiscalYear, jurisdiction);
  const rows = measureProgress(items, policy, fiscalYear, asOf, [groupBy]);
  return { fiscalYear, asOf, groupBy, rows, problems };
};

export interface MeasuredProgress {
  fiscalYear: number;
  asOf: IsoDate;
  groupBy: ScopeLevel;
  rows: ProgressRow[];
  /** Allocations left out of every row: a total stored out of range. */
  problems: TotalsProblem[];
}
