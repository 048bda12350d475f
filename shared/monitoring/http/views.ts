import { problemsField } from '../../platform/total-range.ts';
import { reportRow } from '../app/progress-report.ts';
import type { MonitorResult } from '../app/run-monitor.ts';
import type { StoredAlert } from '../domain/alert.ts';
import type { ForecastFigures, ProgressFigures } from '../domain/lag-detector.ts';
import type { Scope } from '../domain/progress.ts';
import { type Subscription, subscriptionKind, subscriptionStatus } from '../domain/subscription.ts';

/** A scope in reading order (DynamoDB returns map fields in any order). */
export const scopeView = (s: Scope): Scope => ({
  level: s.level,
  capitalType: s.capitalType,
  ...(s.fundingLine ? { fundingLine: s.fundingLine } : {}),
  ...(s.commune ? { commune: s.commune } : {}),
  ...(s.component ? { component: s.component } : {}),
  ...(s.allocationId ? { allocationId: s.allocationId } : {}),
  ...(s.carriedOver ? { carriedOver: true as const } : {}),
});

const progressView = (p: ProgressFigures): ProgressFigures => ({
  assignedVnd: p.assignedVnd,
  reservedVnd: p.reservedVnd,
  disbursedVnd: p.disbursedVnd,
  ratePercent: p.ratePercent,
  expectedPercent: p.expectedPercent,
  lagPoints: p.lagPoints,
});

const forecastView = (f: ForecastFigures): ForecastFigures => ({
  assignedVnd: f.assignedVnd,
  disbursedVnd: f.disbursedVnd,
  pipelineVnd: f.pipelineVnd,
  ratePercent: f.ratePercent,
  deadline: f.deadline,
  p10Percent: f.p10Percent,
  p50Percent: f.p50Percent,
  p90Percent: f.p90Percent,
  targetPercent: f.targetPercent,
  marginPoints: f.marginPoints,
  percentile: f.percentile,
  shortfallPoints: f.shortfallPoints,
});

/** An alert as the API shows it, in reading order. */
export const alertView = (a: StoredAlert) => ({
  id: a.id,
  status: a.status,
  kind: a.kind,
  severity: a.severity,
  fiscalYear: a.fiscalYear,
  day: a.day,
  scope: scopeView(a.scope),
  ...(a.title ? { title: a.title } : {}),
  ...(a.progress ? { progress: progressView(a.progress) } : {}),
  laggingAllocations: a.laggingAllocations,
  stalledRequests: a.stalledRequests,
  stalledTotal: a.stalledTotal,
  ...(a.integrity ? { integrity: a.integrity } : {}),
  ...(a.forecast ? { forecast: forecastView(a.forecast) } : {}),
  createdAt: a.createdAt,
  ...(a.queuedAt ? { queuedAt: a.queuedAt } : {}),
  ...(a.acknowledgedBy ? { acknowledgedBy: a.acknowledgedBy, acknowledgedAt: a.acknowledgedAt } : {}),
});

/** A subscription as the API shows it, in reading order, with whether alerts may go to it. */
export const subscriptionView = (s: Subscription, allowList: readonly string[]) => ({
  id: s.id,
  kind: subscriptionKind(s),
  email: s.email,
  scope: {
    ...(s.scope.fundingLine ? { fundingLine: s.scope.fundingLine } : {}),
    ...(s.scope.commune ? { commune: s.scope.commune } : {}),
    ...(s.scope.component ? { component: s.scope.component } : {}),
  },
  owner: s.owner,
  createdAt: s.createdAt,
  status: subscriptionStatus(s, allowList),
  ...(s.confirmedAt ? { confirmedAt: s.confirmedAt } : {}),
});

/** A run as the API answers it: counts, each alert, and every progress row. */
export const monitorRunView = (run: MonitorResult) => ({
  asOf: run.asOf,
  fiscalYears: run.fiscalYears,
  findings: run.findings.length,
  queued: run.queued,
  alreadyQueued: run.alreadyQueued,
  alerts: run.findings.map((f) => ({
    id: f.alertId,
    kind: f.kind,
    severity: f.severity,
    scope: f.scope,
    queued: f.queued,
    ...(f.integrity ? { rule: f.integrity.rule } : {}),
    ...(f.kind === 'stalled'
      ? {
          stalledRequests: f.stalledTotal,
          longestWaitDays: Math.max(0, ...f.stalledRequests.map((r) => r.waitingDays)),
        }
      : {}),
  })),
  rows: run.rows.map((row) => ({ fiscalYear: row.fiscalYear, scope: row.scope, ...reportRow(row) })),
  ...problemsField(run.problems),
});
