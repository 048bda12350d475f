import type { DisbursementRequest } from '../../ledger/domain/disbursement-request.ts';
import { type IsoDate, vnDateOf } from '../../platform/vn-calendar.ts';
import { type WorkingCalendar, workingDaysBetween } from '../../platform/working-days.ts';
import type { IntegrityDetails } from './integrity/integrity-case.ts';
import { type MonitoringPolicy, severityOf } from './monitoring-policy.ts';
import {
  type AllocationKeys,
  allocationScope,
  type ProgressRow,
  type Scope,
  scopeContains,
} from './progress.ts';

/** A request waiting at one approval level longer than the policy allows ("hồ sơ chậm phê duyệt"). */
export interface StalledRequest {
  requestId: string;
  allocationId: string;
  capitalType: DisbursementRequest['capitalType'];
  fundingLine: DisbursementRequest['fundingLine'];
  commune: string;
  component: string;
  amountVnd: number;
  payeeName: string;
  purpose: string;
  level: string;
  pendingSince: string;
  /** Working days waited at the level (weekends, public holidays and Tết not counted). */
  waitingDays: number;
  severity: 'warning' | 'critical';
  /** On capital carried over from an earlier year (set from its allocation's row). */
  carriedOver?: true;
}

/** One allocation's figures, as an alert lists the most lagging ones of its scope. */
export interface LaggingAllocation extends AllocationKeys {
  title: string;
  assignedVnd: number;
  disbursedVnd: number;
  ratePercent: number | null;
  lagPoints: number;
}

/** The figures of a lag finding. */
export interface ProgressFigures {
  assignedVnd: number;
  reservedVnd: number;
  disbursedVnd: number;
  ratePercent: number | null;
  expectedPercent: number;
  lagPoints: number;
}

/**
 * The figures of a forecast finding ("dự báo không đạt mục tiêu giải ngân"): the scope's rate so far,
 * its forecast band at its deadline, and the rule it failed: `percentile` below target − margin.
 * Percentages have two decimals.
 */
export interface ForecastFigures {
  assignedVnd: number;
  disbursedVnd: number;
  /** Pending requests (reserved): the pipeline the forecast counts on in part. */
  pipelineVnd: number;
  ratePercent: number;
  /** The scope's disbursement deadline the band is for. */
  deadline: IsoDate;
  p10Percent: number;
  p50Percent: number;
  p90Percent: number;
  /** What the curve expects by the deadline (100% for investment by 31/01 of the next year). */
  targetPercent: number;
  marginPoints: number;
  /** The point of the band the rule judges (monitoring.json `forecastMiss.percentile`). */
  percentile: 'p10' | 'p50' | 'p90';
  /** Target minus the judged point, in percentage points (above the margin, or there is no finding). */
  shortfallPoints: number;
}

/**
 * Something an inspector must hear about: a scope lagging the curve, requests stalled in approval, a
 * scope forecast to miss its deadline target, or an integrity case (splitting, shared account, double
 * support, bunching: ./integrity/).
 */
export interface Finding {
  kind: 'lag' | 'stalled' | 'forecast' | 'integrity';
  severity: 'warning' | 'critical';
  fiscalYear: number;
  /** The Vietnam date the finding is for. */
  day: IsoDate;
  scope: Scope;
  /** The allocation's title, for allocation scopes. */
  title?: string;
  progress?: ProgressFigures;
  laggingAllocations: LaggingAllocation[];
  stalledRequests: StalledRequest[];
  /** How many stalled requests the scope has (the list may be cut short). */
  stalledTotal: number;
  /** The forecast and the rule it failed (forecast findings). */
  forecast?: ForecastFigures;
  /** The integrity case: its rule, explanation and facts (kind `integrity` only). */
  integrity?: IntegrityDetails;
}

/** Most stalled requests an alert lists; the total is always given. */
const LISTED_STALLED = 10;
const RANK = { warning: 1, critical: 2 } as const;

/**
 * Pending requests of a fiscal year that have waited at their level at least the warning limit, in
 * working days (a request sent before Tết has not stalled over the holiday), longest first.
 */
export const findStalledRequests = (
  pending: readonly DisbursementRequest[],
  policy: Pick<MonitoringPolicy, 'stalledDays'>,
  fiscalYear: number,
  asOf: IsoDate,
  calendar: WorkingCalendar,
): StalledRequest[] => {
  const out: StalledRequest[] = [];
  for (const r of pending) {
    if (r.fiscalYear !== fiscalYear || r.status !== 'pending_approval' || !r.nextLevel) continue;
    const since = r.pendingSince ?? r.updatedAt;
    // Whole Vietnam days: a request sent at 23:00 on a Monday has waited one working day on Tuesday.
    const waitingDays = workingDaysBetween(vnDateOf(since), asOf, calendar);
    const severity = severityOf(waitingDays, policy.stalledDays);
    if (severity === 'none') continue;
    out.push({
      requestId: r.id,
      allocationId: r.allocationId,
      capitalType: r.capitalType,
      fundingLine: r.fundingLine,
      commune: r.commune,
      component: r.component,
      amountVnd: r.amountVnd,
      payeeName: r.payee.name,
      purpose: r.purpose,
      level: r.nextLevel,
      pendingSince: since,
      waitingDays,
      severity,
    });
  }
  return out.sort((a, b) => b.waitingDays - a.waitingDays || a.requestId.localeCompare(b.requestId));
};

/** The keys of an allocation row (every allocation row's scope carries them all). */
const keysOfRow = (r: ProgressRow): AllocationKeys => ({
  capitalType: r.scope.capitalType,
  fundingLine: r.scope.fundingLine ?? 'central',
  commune: r.scope.commune ?? '',
  component: r.scope.component ?? '',
  allocationId: r.scope.allocationId ?? '',
  ...(r.scope.carriedOver ? { carriedOver: true as const } : {}),
});

/**
 * The findings of one fiscal year at a date: each lagging scope (any roll-up level), and each
 * allocation with stalled requests. Each lists the most lagging allocations and the stalled requests
 * within its scope, so one e-mail says where to look.
 */
export const detectFindings = (
  rows: readonly ProgressRow[],
  stalledRequests: readonly StalledRequest[],
  policy: Pick<MonitoringPolicy, 'listedAllocations'>,
  fiscalYear: number,
  asOf: IsoDate,
): Finding[] => {
  const allocationRows = rows.filter((r) => r.scope.level === 'allocation' && r.fiscalYear === fiscalYear);
  // A request carries its allocation's keys but not where the capital came from: its row says.
  const carried = new Set(allocationRows.filter((r) => r.scope.carriedOver).map((r) => r.scope.allocationId));
  const stalled = stalledRequests.map((s) =>
    carried.has(s.allocationId) ? { ...s, carriedOver: true as const } : s,
  );
  const laggingWithin = (scope: Scope): LaggingAllocation[] =>
    scope.level === 'allocation'
      ? []
      : allocationRows
          .filter((r) => r.lagPoints !== null && r.lagPoints > 0 && scopeContains(scope, keysOfRow(r)))
          .sort((a, b) => (b.lagPoints ?? 0) - (a.lagPoints ?? 0))
          .slice(0, policy.listedAllocations)
          .map((r) => ({
            ...keysOfRow(r),
            title: r.title ?? '',
            assignedVnd: r.assignedVnd,
            disbursedVnd: r.disbursedVnd,
            ratePercent: r.ratePercent,
            lagPoints: r.lagPoints ?? 0,
          }));
  const stalledWithin = (scope: Scope) => stalled.filter((s) => scopeContains(scope, s));

  const findings: Finding[] = [];
  for (const row of rows) {
    if (row.fiscalYear !== fiscalYear || row.severity === 'none' || row.lagPoints === null) continue;
    if (row.expectedPercent === null) continue;
    const within = stalledWithin(row.scope);
    findings.push({
      kind: 'lag',
      severity: row.severity,
      fiscalYear,
      day: asOf,
      scope: row.scope,
      ...(row.title ? { title: row.title } : {}),
      progress: {
        assignedVnd: row.assignedVnd,
        reservedVnd: row.reservedVnd,
        disbursedVnd: row.disbursedVnd,
        ratePercent: row.ratePercent,
        expectedPercent: row.expectedPercent,
        lagPoints: row.lagPoints,
      },
      laggingAllocations: laggingWithin(row.scope),
      stalledRequests: within.slice(0, LISTED_STALLED),
      stalledTotal: within.length,
    });
  }

  // Stalled requests: one finding per allocation, at the worst severity among its requests.
  const byAllocation = new Map<string, StalledRequest[]>();
  for (const s of stalled) byAllocation.set(s.allocationId, [...(byAllocation.get(s.allocationId) ?? []), s]);
  for (const [allocationId, list] of byAllocation) {
    const first = list[0];
    if (!first) continue;
    const worst = list.reduce<'warning' | 'critical'>(
      (w, s) => (RANK[s.severity] > RANK[w] ? s.severity : w),
      'warning',
    );
    const row = allocationRows.find((r) => r.scope.allocationId === allocationId);
    findings.push({
      kind: 'stalled',
      severity: worst,
      fiscalYear,
      day: asOf,
      scope: allocationScope(first),
      ...(row?.title ? { title: row.title } : {}),
      laggingAllocations: [],
      stalledRequests: list.slice(0, LISTED_STALLED),
      stalledTotal: list.length,
    });
  }
  return findings;
};
