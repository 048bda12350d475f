import { forecastScope, type ScopeForecast } from '../../forecast/domain/forecast.ts';
import {
  type DayAmount,
  forecastReadDates,
  seriesFromTotals,
} from '../../forecast/domain/series-from-totals.ts';
import type { Allocation } from '../../ledger/domain/allocation.ts';
import type { IsoDate } from '../../platform/vn-calendar.ts';
import { type CurveSet, curveKindOf, expectedPercent } from './expected-curve.ts';
import type { Finding, ForecastFigures } from './lag-detector.ts';
import type { ForecastMissSettings } from './monitoring-policy.ts';
import { SCOPE_LEVELS, type Scope, type ScopeLevel, scopeKey, scopeOf } from './progress.ts';

/** Disbursement an allocation's postings added on one Vietnam day. */
export interface AllocationDayAmount extends DayAmount {
  allocationId: string;
}

/** A scope's forecast at its deadline, with the curve's target there and the allocations it rolls up. */
export interface ScopeForecastRow {
  scope: Scope;
  /** The allocation's title, for allocation scopes. */
  title?: string;
  allocationIds: string[];
  deadline: IsoDate;
  /** What the scope's curve expects by its deadline, in percent (two decimals). */
  targetPercent: number;
  forecast: ScopeForecast;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** `localeCompare`'s order, from one collator made once (`localeCompare` is many times slower in a sort). */
const byText = new Intl.Collator().compare;

/**
 * The deadline of a roll-up: the one most of its assigned capital is due by (ties: the earlier), so one
 * extended allocation does not move a whole district's horizon.
 */
const deadlineOfGroup = (members: readonly Allocation[], deadlineOf: (a: Allocation) => IsoDate): IsoDate => {
  const byDeadline = new Map<IsoDate, number>();
  for (const a of members)
    byDeadline.set(deadlineOf(a), (byDeadline.get(deadlineOf(a)) ?? 0) + a.assignedVnd);
  return [...byDeadline.entries()].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))[0]?.[0] ?? '';
};

/**
 * The forecast of every scope of a fiscal year's allocations at the given levels, from their running
 * totals (disbursed now, reserved as the pipeline) and the disbursement posted since the earliest day
 * the forecast reads ({@link forecastReadDates}): the monitor's bounded read. Scopes with nothing
 * assigned or whose deadline is not after `asOf` (nothing left to forecast) are left out. Pure.
 */
export const forecastScopes = (input: {
  allocations: readonly Allocation[];
  postings: readonly AllocationDayAmount[];
  curves: CurveSet;
  fiscalYear: number;
  asOf: IsoDate;
  deadlineOf: (a: Allocation) => IsoDate;
  levels?: readonly ScopeLevel[];
}): ScopeForecastRow[] => {
  const { fiscalYear, asOf } = input;
  const groups = new Map<string, { scope: Scope; members: Allocation[] }>();
  for (const a of input.allocations) {
    if (a.fiscalYear !== fiscalYear) continue;
    for (const level of input.levels ?? SCOPE_LEVELS) {
      const scope = scopeOf(a, level);
      const key = scopeKey(scope);
      const group = groups.get(key) ?? { scope, members: [] };
      group.members.push(a);
      groups.set(key, group);
    }
  }
  // Each allocation's postings, found once: a roll-up gathers its members' instead of searching them all.
  const postingsOf = new Map<string, AllocationDayAmount[]>();
  for (const p of input.postings) {
    const own = postingsOf.get(p.allocationId);
    if (own) own.push(p);
    else postingsOf.set(p.allocationId, [p]);
  }
  const rows: ScopeForecastRow[] = [];
  for (const { scope, members } of groups.values()) {
    const sum = (f: (a: Allocation) => number) => members.reduce((total, a) => total + f(a), 0);
    const assignedVnd = sum((a) => a.assignedVnd);
    const deadline = deadlineOfGroup(members, input.deadlineOf);
    if (assignedVnd <= 0 || deadline <= asOf) continue;
    const curve = input.curves[curveKindOf(scope)];
    const series = seriesFromTotals(
      sum((a) => a.disbursedVnd),
      members.flatMap((a) => postingsOf.get(a.id) ?? []),
      forecastReadDates(fiscalYear, asOf, deadline),
    );
    const only = members.length === 1 ? members[0] : undefined;
    rows.push({
      scope,
      ...(scope.level === 'allocation' && only ? { title: only.title } : {}),
      allocationIds: members.map((a) => a.id),
      deadline,
      targetPercent: round2(expectedPercent(curve, fiscalYear, deadline)),
      forecast: forecastScope({
        fiscalYear,
        asOf,
        assignedVnd,
        series,
        pipelineVnd: sum((a) => a.reservedVnd),
        curve,
        deadline,
      }),
    });
  }
  // Each row's key made once, not at every comparison.
  const keyed = rows.map((row) => ({
    row,
    level: SCOPE_LEVELS.indexOf(row.scope.level),
    key: scopeKey(row.scope),
  }));
  return keyed.sort((a, b) => a.level - b.level || byText(a.key, b.key)).map(({ row }) => row);
};

/**
 * The forecast figures of a scope when its forecast misses: the judged point of its band at the
 * deadline below the target by more than the margin; undefined when it does not (or has no forecast).
 */
export const forecastMiss = (
  row: Pick<ScopeForecastRow, 'forecast' | 'targetPercent'>,
  settings: Pick<ForecastMissSettings, 'percentile' | 'marginPoints'>,
): ForecastFigures | undefined => {
  const { forecast } = row;
  const band = forecast.deadline;
  if (!band || forecast.rate === null) return undefined;
  const pct = (x: number) => round2(x * 100);
  const shortfallPoints = round2(row.targetPercent - pct(band[settings.percentile]));
  if (shortfallPoints <= settings.marginPoints) return undefined;
  return {
    assignedVnd: forecast.assignedVnd,
    disbursedVnd: forecast.disbursedVnd,
    pipelineVnd: forecast.pipelineVnd,
    ratePercent: pct(forecast.rate),
    deadline: band.on,
    p10Percent: pct(band.p10),
    p50Percent: pct(band.p50),
    p90Percent: pct(band.p90),
    targetPercent: row.targetPercent,
    marginPoints: settings.marginPoints,
    percentile: settings.percentile,
    shortfallPoints,
  };
};

/**
 * Forecast findings ("dự báo không đạt mục tiêu"): each scope whose judged point of the band at its
 * deadline falls below the curve's target there by more than the configured margin, at the configured
 * severity. No lag is needed: a scope on the curve today but slowing shows here first.
 */
export const detectForecastMisses = (
  rows: readonly ScopeForecastRow[],
  settings: ForecastMissSettings,
  fiscalYear: number,
  asOf: IsoDate,
): Finding[] =>
  rows.flatMap((row): Finding[] => {
    const figures = forecastMiss(row, settings);
    if (!figures) return [];
    return [
      {
        kind: 'forecast',
        severity: settings.severity,
        fiscalYear,
        day: asOf,
        scope: row.scope,
        ...(row.title ? { title: row.title } : {}),
        laggingAllocations: [],
        stalledRequests: [],
        stalledTotal: 0,
        forecast: figures,
      },
    ];
  });

/**
 * The forecast findings worth an alert beside the run's lag findings: a scope whose lag is already
 * critical today is left out, since its lag alert says more than the forecast would ("before the lag
 * itself is critical", issue 17); a scope on the curve, or lagging only at warning level, keeps its
 * forecast alert, which says where the year is heading.
 */
export const beyondCriticalLag = (
  forecasts: readonly Finding[],
  lagFindings: readonly Finding[],
): Finding[] => {
  const critical = new Set(
    lagFindings.filter((f) => f.kind === 'lag' && f.severity === 'critical').map((f) => scopeKey(f.scope)),
  );
  return forecasts.filter((f) => !critical.has(scopeKey(f.scope)));
};
