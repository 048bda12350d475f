import type { AuditStore } from '../../audit/app/ports.ts';
import { type Allocation, splitAllocations } from '../../ledger/domain/allocation.ts';
import { type DeadlineRules, deadlineOf } from '../../ledger/domain/disbursement-deadline.ts';
import { cumulativesOfDays, snapshotsOfDays } from '../../monitoring/app/ledger-reads.ts';
import type { DaySnapshotStore, ProgressSource } from '../../monitoring/app/ports.ts';
import { reportRow } from '../../monitoring/app/progress-report.ts';
import { type DaySnapshot, sumOf } from '../../monitoring/domain/day-snapshot.ts';
import type { SeriesPoint } from '../../monitoring/domain/disbursement-series.ts';
import { curveKindOf } from '../../monitoring/domain/expected-curve.ts';
import { type MonitoringConfig, policyFor } from '../../monitoring/domain/monitoring-policy.ts';
import {
  measureProgress,
  type Scope,
  type ScopeLevel,
  scopeOf as scopeAt,
  scopeKey,
} from '../../monitoring/domain/progress.ts';
import {
  type Actor,
  jurisdictionOfScope,
  reachable,
  restrictFilter,
  scopeOf,
} from '../../platform/access.ts';
import { problemsField } from '../../platform/total-range.ts';
import { addDays, type IsoDate, vnDateOf, vnMidnight } from '../../platform/vn-calendar.ts';
import {
  DEFAULT_FORECAST_PARAMETERS,
  type ForecastParameters,
  forecastScope,
  yearEndOf,
} from '../domain/forecast.ts';
import { type ForecastGrouping, parseForecastQuery } from '../domain/forecast-query.ts';
import { type DayPipelineRequest, pipelineByAllocation } from '../domain/pipeline.ts';
import { forecastReadDates } from '../domain/series-from-totals.ts';
import { dateOfFiscalDay, dayOfFiscalYear, shapeOfYear, type YearShape } from '../domain/year-shape.ts';
import type { RequestHistory } from './ports.ts';

/** How many past years' shapes a forecast blends in, where the scope had allocations then. */
export const FORECAST_PAST_YEARS = 2;

export interface ForecastReportDeps {
  progress: Pick<ProgressSource, 'listAllocationsOfYear' | 'listPendingRequests'>;
  audit: Pick<AuditStore, 'queryEntries'>;
  snapshots: DaySnapshotStore;
  requests: RequestHistory;
  config: MonitoringConfig;
  deadlines: DeadlineRules;
  now: () => Date;
  parameters?: ForecastParameters;
}

/** The query as the HTTP edge passes it: text, checked here (422 invalid_forecast_query). */
export interface ForecastReportInput {
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
export const forecastReport = async (deps: ForecastReportDeps, actor: Actor, input: ForecastReportInput) => {
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
  const members = groupBy(allocations, (a) => scopeKey(scopeAt(a, level)));
  const deadlineOfScope = (mine: readonly Allocation[]) =>
    mine
      .map((a) => deadlineOf(deps.deadlines, a))
      .sort()
      .at(-1) ?? `${fiscalYear}-12-31`;
  const deadlines = [...members.values()].map(deadlineOfScope);
  // Only the few days the forecast reads (forecastReadDates), from the day snapshots and the entries
  // after the last snapshotted day: the read does not grow with the ledger.
  const read = await snapshotsOfDays(deps, restrictFilter(scope, { jurisdiction, fiscalYear }), [
    ...new Set(deadlines.flatMap((d) => forecastReadDates(fiscalYear, asOf, d, parameters))),
  ]);
  const { cumulatives } = read;
  const pipeline = await pipelineOf(deps, jurisdiction, fiscalYear, allocations, asOf, end, read);

  const pastYears = await pastShapesOf(
    deps,
    scope,
    jurisdiction,
    fiscalYear,
    asOf,
    level,
    deadlines,
    parameters,
  );

  const rows = measureProgress(allocations, policy, fiscalYear, asOf, [level]).map((row) => {
    const mine = members.get(scopeKey(row.scope)) ?? [];
    const deadline = deadlineOfScope(mine);
    const series = pointsOf(cumulatives, forecastReadDates(fiscalYear, asOf, deadline, parameters), mine);
    const forecast = forecastScope(
      {
        fiscalYear,
        asOf,
        assignedVnd: row.assignedVnd,
        series,
        pipelineVnd: sumOf(
          pipeline,
          mine.map((a) => a.id),
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

/** A scope's cumulative on each of `dates`, summed over its allocations: the series points a forecast reads. */
const pointsOf = (
  cumulatives: ReadonlyMap<IsoDate, ReadonlyMap<string, number>>,
  dates: readonly IsoDate[],
  mine: readonly Allocation[],
): SeriesPoint[] =>
  dates.map((date) => ({
    date,
    cumulativeVnd: sumOf(
      cumulatives.get(date),
      mine.map((a) => a.id),
    ),
  }));

/**
 * The pipeline at the end of `asOf` (`end`), per allocation of the year (zeros left out), as the
 * requests as they stand now give it (`pipelineVndAt`), read as cheaply as it can be:
 * - a forecast made today (`end` still to come): the requests waiting now (the status index); one
 *   settled by now was settled before `end`;
 * - a summarised past day: its day snapshot's `pipeline`, which the daily job keeps (already read with
 *   the cumulatives: no read of its own);
 * - a past day after the last summarised one (the job has not run since): that day's pending set (its
 *   chunks by key, then the requests by key) and the requests submitted after it (a key range);
 * - otherwise (snapshots written before pipelines were kept, a day before the year's first snapshot, a
 *   pending set expired): every request submitted since the first allocation was created (none when
 *   every allocation was recorded after `end`, as a history entered afterwards: DynamoDB refuses a
 *   BETWEEN whose bounds are reversed).
 */
const pipelineOf = async (
  deps: ForecastReportDeps,
  jurisdiction: string,
  fiscalYear: number,
  allocations: readonly Allocation[],
  asOf: IsoDate,
  end: Date,
  read: { last: IsoDate | undefined; snapshots: ReadonlyMap<IsoDate, DaySnapshot> },
): Promise<Map<string, number>> => {
  const ofYear = new Set(allocations.map((a) => a.id));
  const mine = (requests: readonly DayPipelineRequest[]) =>
    pipelineByAllocation(
      requests.filter((r) => ofYear.has(r.allocationId)),
      end,
    );
  if (end.getTime() > deps.now().getTime()) {
    return mine(
      (await deps.progress.listPendingRequests(jurisdiction)).filter((r) => r.createdAt < end.toISOString()),
    );
  }
  const kept = read.snapshots.get(asOf)?.pipeline;
  if (kept) return new Map(Object.entries(kept));
  const last = read.last === undefined ? undefined : read.snapshots.get(read.last);
  const pending =
    last?.pendingChunks !== undefined && last.date < asOf
      ? await deps.snapshots.getPendingSet(jurisdiction, fiscalYear, last.date, last.pendingChunks)
      : undefined;
  if (last && pending) {
    const after = vnMidnight(addDays(last.date, 1)).toISOString();
    return mine([
      ...(await deps.requests.getRequests(jurisdiction, pending)),
      ...(await deps.requests.listRequestsSubmittedBetween(jurisdiction, after, end.toISOString())),
    ]);
  }
  const firstCreated = allocations.map((a) => a.createdAt).sort()[0];
  return mine(
    firstCreated && firstCreated < end.toISOString()
      ? await deps.requests.listRequestsSubmittedBetween(jurisdiction, firstCreated, end.toISOString())
      : [],
  );
};

/**
 * The days of a past fiscal year a forecast made at `asOf` reads that year's shape on: the same days
 * of the year (days after 1 January) as `asOf`, the start of its window, 31/12 and each deadline.
 */
const pastReadDates = (
  fiscalYear: number,
  asOf: IsoDate,
  deadlines: readonly IsoDate[],
  parameters: ForecastParameters,
  pastYear: number,
): IsoDate[] =>
  [
    ...new Set(
      [addDays(asOf, -parameters.recentWindowDays), yearEndOf(fiscalYear), asOf, ...deadlines].map((date) =>
        dateOfFiscalDay(pastYear, dayOfFiscalYear(fiscalYear, date)),
      ),
    ),
  ].sort();

/**
 * The shapes of the scopes' past years (up to FORECAST_PAST_YEARS), by scope across years: each year's
 * cumulative on the days the forecast reads a reference on (from the day snapshots), which is all of
 * a shape the forecast reads.
 */
const pastShapesOf = async (
  deps: ForecastReportDeps,
  scope: ReturnType<typeof scopeOf>,
  jurisdiction: string,
  fiscalYear: number,
  asOf: IsoDate,
  level: ScopeLevel,
  deadlines: readonly IsoDate[],
  parameters: ForecastParameters,
): Promise<Map<string, YearShape[]>> => {
  const shapes = new Map<string, YearShape[]>();
  for (let back = FORECAST_PAST_YEARS; back >= 1; back--) {
    const year = fiscalYear - back;
    const { items } = splitAllocations(
      reachable(scope, await deps.progress.listAllocationsOfYear(jurisdiction, year)),
    );
    if (items.length === 0) continue;
    const dates = pastReadDates(fiscalYear, asOf, deadlines, parameters, year);
    const cumulatives = await cumulativesOfDays(
      deps,
      restrictFilter(scope, { jurisdiction, fiscalYear: year }),
      dates,
    );
    for (const [key, group] of groupBy(items, (a: Allocation) => acrossYears(scopeAt(a, level)))) {
      const assigned = group.reduce((s, a) => s + a.assignedVnd, 0);
      if (assigned <= 0) continue;
      shapes.set(key, [
        ...(shapes.get(key) ?? []),
        shapeOfYear(year, assigned, pointsOf(cumulatives, dates, group)),
      ]);
    }
  }
  return shapes;
};
