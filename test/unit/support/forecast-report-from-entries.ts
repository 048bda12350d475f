/**
 * The forecast report as it was computed before the day snapshots (issue 20), from every entry of the
 * fiscal year, every request submitted since the first allocation and every entry of the past years:
 * kept, unchanged but for its name, as the oracle the snapshot-based report must equal
 * (test/unit/forecast-from-snapshots.test.ts).
 */
import type { AuditStore } from '../../../shared/audit/app/ports.ts';
import { readAllEntries } from '../../../shared/audit/app/read-all-entries.ts';
import { FORECAST_PAST_YEARS } from '../../../shared/forecast/app/forecast-report.ts';
import type { RequestHistory } from '../../../shared/forecast/app/ports.ts';
import {
  DEFAULT_FORECAST_PARAMETERS,
  type ForecastParameters,
  forecastScope,
} from '../../../shared/forecast/domain/forecast.ts';
import { type ForecastGrouping, parseForecastQuery } from '../../../shared/forecast/domain/forecast-query.ts';
import { pipelineVndAt } from '../../../shared/forecast/domain/pipeline.ts';
import { shapeOfYear, type YearShape } from '../../../shared/forecast/domain/year-shape.ts';
import { type Allocation, splitAllocations } from '../../../shared/ledger/domain/allocation.ts';
import { type DeadlineRules, deadlineOf } from '../../../shared/ledger/domain/disbursement-deadline.ts';
import type { ProgressSource } from '../../../shared/monitoring/app/ports.ts';
import { reportRow } from '../../../shared/monitoring/app/progress-report.ts';
import { disbursementSeries } from '../../../shared/monitoring/domain/disbursement-series.ts';
import { curveKindOf } from '../../../shared/monitoring/domain/expected-curve.ts';
import { type MonitoringConfig, policyFor } from '../../../shared/monitoring/domain/monitoring-policy.ts';
import {
  measureProgress,
  type Scope,
  type ScopeLevel,
  scopeOf as scopeAt,
  scopeKey,
} from '../../../shared/monitoring/domain/progress.ts';
import {
  type Actor,
  jurisdictionOfScope,
  reachable,
  restrictFilter,
  scopeOf,
} from '../../../shared/platform/access.ts';
import { problemsField } from '../../../shared/platform/total-range.ts';
import { addDays, vnDateOf, vnMidnight } from '../../../shared/platform/vn-calendar.ts';

interface ForecastReportDeps {
  progress: Pick<ProgressSource, 'listAllocationsOfYear'>;
  audit: Pick<AuditStore, 'queryEntries'>;
  requests: RequestHistory;
  config: MonitoringConfig;
  deadlines: DeadlineRules;
  now: () => Date;
  parameters?: ForecastParameters;
}

/** The query as the HTTP edge passes it: text, checked here (422 invalid_forecast_query). */
interface ForecastReportInput {
  fiscalYear?: string | undefined;
  asOf?: string | undefined;
  groupBy?: string | undefined;
}

/** The progress level a grouping rolls up at: a project is the programme's component. */
const levelOf = (groupBy: ForecastGrouping): ScopeLevel => (groupBy === 'project' ? 'component' : groupBy);

/** What a scope is the same scope by across years: its keys but an allocation's id (new every year). */
const acrossYears = (scope: Scope): string => scopeKey({ ...scope, allocationId: undefined });

const groupBy = <T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> => {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
};

/**
 * Forecasts of a fiscal year of the caller's jurisdiction, one per scope of the grouping (split by
 * capital type and carried-over capital, as progress is): disbursed and pipeline at `asOf`, and the
 * rate forecast at 31/12 and at the scope's deadline (docs/forecast.md). Only what is dated up to
 * `asOf` is read: entries posted by then (the ledger's posting-date index), requests submitted by then
 * and not settled by then. A commune-scoped reader sees their commune's scopes only.
 */
export const forecastReportFromEntries = async (
  deps: ForecastReportDeps,
  actor: Actor,
  input: ForecastReportInput,
) => {
  const { fiscalYear, asOf, groupBy: grouping } = parseForecastQuery(input, vnDateOf(deps.now()));
  const level = levelOf(grouping);
  const scope = scopeOf(actor);
  const jurisdiction = jurisdictionOfScope(scope);
  const policy = policyFor(deps.config, fiscalYear, jurisdiction);
  const parameters = deps.parameters ?? DEFAULT_FORECAST_PARAMETERS;
  const end = vnMidnight(addDays(asOf, 1));

  const { items: allocations, problems } = splitAllocations(
    reachable(scope, await deps.progress.listAllocationsOfYear(jurisdiction, fiscalYear)),
  );
  const ids = new Set(allocations.map((a) => a.id));
  const entries = (
    await readAllEntries(deps.audit, restrictFilter(scope, { fiscalYear, to: end.toISOString() }))
  ).filter((e) => ids.has(e.allocationId) && vnDateOf(e.postedAt) <= asOf);
  // A request of the year's allocations is submitted after its allocation was created; none by the
  // end of asOf when every allocation was recorded later (a history entered afterwards, as the demo's):
  // the key range would be empty, and DynamoDB refuses a BETWEEN whose bounds are reversed.
  const firstCreated = allocations.map((a) => a.createdAt).sort()[0];
  const requests =
    firstCreated && firstCreated < end.toISOString()
      ? (
          await deps.requests.listRequestsSubmittedBetween(jurisdiction, firstCreated, end.toISOString())
        ).filter((r) => ids.has(r.allocationId))
      : [];

  const pastYears = await pastShapesOf(deps, scope, jurisdiction, fiscalYear, level);
  const members = groupBy(allocations, (a) => scopeKey(scopeAt(a, level)));
  const entriesOfAllocation = groupBy(entries, (e) => e.allocationId);
  const requestsOfAllocation = groupBy(requests, (r) => r.allocationId);

  const rows = measureProgress(allocations, policy, fiscalYear, asOf, [level]).map((row) => {
    const mine = members.get(scopeKey(row.scope)) ?? [];
    const series =
      disbursementSeries(
        mine,
        mine.flatMap((a) => entriesOfAllocation.get(a.id) ?? []),
      )[0]?.points ?? [];
    const deadline =
      mine
        .map((a) => deadlineOf(deps.deadlines, a))
        .sort()
        .at(-1) ?? `${fiscalYear}-12-31`;
    const forecast = forecastScope(
      {
        fiscalYear,
        asOf,
        assignedVnd: row.assignedVnd,
        series,
        pipelineVnd: pipelineVndAt(
          mine.flatMap((a) => requestsOfAllocation.get(a.id) ?? []),
          end,
        ),
        curve: policy.curves[curveKindOf(row.scope)],
        deadline,
        pastYears: pastYears.get(acrossYears(row.scope)) ?? [],
      },
      parameters,
    );
    const { key, capitalType, carriedOver, title, allocations: count } = reportRow(row);
    return {
      key,
      capitalType,
      carriedOver,
      ...(title !== undefined ? { title } : {}),
      allocations: count,
      assignedVnd: forecast.assignedVnd,
      disbursedVnd: forecast.disbursedVnd,
      pipelineVnd: forecast.pipelineVnd,
      rate: forecast.rate,
      deadline,
      yearEnd: forecast.yearEnd,
      atDeadline: forecast.deadline,
      inputs: forecast.inputs,
    };
  });
  return { fiscalYear, asOf, groupBy: grouping, rows, ...problemsField(problems) };
};

/** The shapes of the scopes' past years (up to FORECAST_PAST_YEARS), by scope across years. */
const pastShapesOf = async (
  deps: ForecastReportDeps,
  scope: ReturnType<typeof scopeOf>,
  jurisdiction: string,
  fiscalYear: number,
  level: ScopeLevel,
): Promise<Map<string, YearShape[]>> => {
  const shapes = new Map<string, YearShape[]>();
  for (let back = FORECAST_PAST_YEARS; back >= 1; back--) {
    const year = fiscalYear - back;
    const { items } = splitAllocations(
      reachable(scope, await deps.progress.listAllocationsOfYear(jurisdiction, year)),
    );
    if (items.length === 0) continue;
    const entries = await readAllEntries(deps.audit, restrictFilter(scope, { fiscalYear: year }));
    for (const [key, group] of groupBy(items, (a: Allocation) => acrossYears(scopeAt(a, level)))) {
      const ids = new Set(group.map((a) => a.id));
      const assigned = group.reduce((s, a) => s + a.assignedVnd, 0);
      const series = disbursementSeries(
        group,
        entries.filter((e) => ids.has(e.allocationId)),
      )[0]?.points;
      if (assigned <= 0 || !series) continue;
      shapes.set(key, [...(shapes.get(key) ?? []), shapeOfYear(year, assigned, series)]);
    }
  }
  return shapes;
};
