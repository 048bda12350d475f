import type { ApiResult } from '../../ledger/app/ports.ts';
import type { Actor } from '../../ledger/domain/disbursement-request.ts';
import { assertReaches, restrictFilter, scopeOf } from '../../platform/access.ts';
import { NotFoundError } from '../../platform/errors.ts';
import type { StoredAlert } from '../domain/alert.ts';
import type { ProgressFigures } from '../domain/lag-detector.ts';
import type { Scope } from '../domain/progress.ts';
import type { AlertFilter, AlertStore } from './ports.ts';

/** A scope in reading order (DynamoDB returns map fields in any order). */
export const scopeView = (s: Scope): Scope => ({
  level: s.level,
  capitalType: s.capitalType,
  ...(s.fundingLine ? { fundingLine: s.fundingLine } : {}),
  ...(s.commune ? { commune: s.commune } : {}),
  ...(s.component ? { component: s.component } : {}),
  ...(s.allocationId ? { allocationId: s.allocationId } : {}),
});

const progressView = (p: ProgressFigures): ProgressFigures => ({
  assignedVnd: p.assignedVnd,
  reservedVnd: p.reservedVnd,
  disbursedVnd: p.disbursedVnd,
  ratePercent: p.ratePercent,
  expectedPercent: p.expectedPercent,
  lagPoints: p.lagPoints,
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
  createdAt: a.createdAt,
  ...(a.queuedAt ? { queuedAt: a.queuedAt } : {}),
  ...(a.acknowledgedBy ? { acknowledgedBy: a.acknowledgedBy, acknowledgedAt: a.acknowledgedAt } : {}),
});

/** Alerts, newest first; a commune-scoped reader sees only the alerts about their commune. */
export const listAlerts = async (
  store: AlertStore,
  actor: Actor,
  filter: Omit<AlertFilter, 'commune'>,
  limit: number,
  cursor?: string,
) => {
  const page = await store.listAlerts(restrictFilter(scopeOf(actor), filter), limit, cursor);
  return { items: page.items.map(alertView), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
};

/** An inspector acknowledges an alert; acknowledging again keeps the first acknowledgement. */
export const acknowledgeAlert = async (
  deps: { alerts: AlertStore; now: () => Date },
  actor: Actor,
  id: string,
): Promise<ApiResult> => {
  const alert = await deps.alerts.getAlert(id);
  if (!alert) throw new NotFoundError(`No alert with id ${id}.`);
  assertReaches(scopeOf(actor), alert.scope, 'alert');
  const updated = await deps.alerts.acknowledgeAlert(id, actor.sub, deps.now().toISOString());
  if (!updated) throw new NotFoundError(`No alert with id ${id}.`);
  return { statusCode: 200, body: alertView(updated) };
};
