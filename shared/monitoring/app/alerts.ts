import type { Page } from '../../ledger/app/ports.ts';
import { type Actor, assertReaches, restrictFilter, scopeOf } from '../../platform/access.ts';
import { NotFoundError } from '../../platform/errors.ts';
import type { StoredAlert } from '../domain/alert.ts';
import type { AlertFilter, AlertStore } from './ports.ts';

/** Alerts, newest first; a commune-scoped reader sees only the alerts about their commune. */
export const listAlerts = async (
  store: AlertStore,
  actor: Actor,
  filter: Omit<AlertFilter, 'commune'>,
  limit: number,
  cursor?: string,
): Promise<Page<StoredAlert>> => {
  return store.listAlerts(restrictFilter(scopeOf(actor), filter), limit, cursor);
};

/** An inspector acknowledges an alert; acknowledging again keeps the first acknowledgement. */
export const acknowledgeAlert = async (
  deps: { alerts: AlertStore; now: () => Date },
  actor: Actor,
  id: string,
): Promise<StoredAlert> => {
  const alert = await deps.alerts.getAlert(id);
  if (!alert) throw new NotFoundError(`No alert with id ${id}.`);
  assertReaches(scopeOf(actor), alert.scope, 'alert');
  const updated = await deps.alerts.acknowledgeAlert(id, actor.sub, deps.now().toISOString());
  if (!updated) throw new NotFoundError(`No alert with id ${id}.`);
  return updated;
};
