import type { Page } from '../../ledger/app/ports.ts';
import {
  type Actor,
  assertReaches,
  jurisdictionOfScope,
  restrictFilter,
  scopeOf,
} from '../../platform/access.ts';
import { NotFoundError } from '../../platform/errors.ts';
import type { StoredAlert } from '../domain/alert.ts';
import type { AlertFilter, AlertStore } from './ports.ts';

/**
 * The caller's jurisdiction's alerts, newest first; a commune-scoped reader sees only the alerts about
 * their commune.
 */
export const listAlerts = async (
  store: AlertStore,
  actor: Actor,
  filter: Omit<AlertFilter, 'commune' | 'jurisdiction'>,
  limit: number,
  cursor?: string,
): Promise<Page<StoredAlert>> => {
  const scope = scopeOf(actor);
  const narrowed = restrictFilter(scope, filter);
  return store.listAlerts({ ...narrowed, jurisdiction: jurisdictionOfScope(scope) }, limit, cursor);
};

/**
 * An inspector acknowledges an alert of their jurisdiction (another's is not found); acknowledging
 * again keeps the first acknowledgement.
 */
export const acknowledgeAlert = async (
  deps: { alerts: AlertStore; now: () => Date },
  actor: Actor,
  id: string,
): Promise<StoredAlert> => {
  const scope = scopeOf(actor);
  const jurisdiction = jurisdictionOfScope(scope);
  const alert = await deps.alerts.getAlert(jurisdiction, id);
  if (!alert) throw new NotFoundError(`No alert with id ${id}.`);
  assertReaches(scope, alert.scope, 'alert');
  const updated = await deps.alerts.acknowledgeAlert(jurisdiction, id, actor.sub, deps.now().toISOString());
  if (!updated) throw new NotFoundError(`No alert with id ${id}.`);
  return updated;
};
