import type { Page } from '../../ledger/app/ports.ts';
import type { Actor } from '../../ledger/domain/disbursement-request.ts';
import { ForbiddenError, NotFoundError } from '../../platform/errors.ts';
import type { StoredAlert } from '../domain/alert.ts';
import type { AlertFilter, AlertStore } from './ports.ts';

const assertMayRead = (actor: Actor, alert: StoredAlert) => {
  if (actor.commune !== undefined && alert.scope.commune !== actor.commune) {
    throw new ForbiddenError(`Your account is limited to ${actor.commune}; this alert is not about it.`);
  }
};

/** Alerts, newest first; a commune-scoped reader sees only the alerts about their commune. */
export const listAlerts = async (
  store: AlertStore,
  actor: Actor,
  filter: Omit<AlertFilter, 'commune'>,
  limit: number,
  cursor?: string,
): Promise<Page<StoredAlert>> => {
  return store.listAlerts(
    { ...filter, ...(actor.commune !== undefined ? { commune: actor.commune } : {}) },
    limit,
    cursor,
  );
};

/** An inspector acknowledges an alert; acknowledging again keeps the first acknowledgement. */
export const acknowledgeAlert = async (
  deps: { alerts: AlertStore; now: () => Date },
  actor: Actor,
  id: string,
): Promise<StoredAlert> => {
  const alert = await deps.alerts.getAlert(id);
  if (!alert) throw new NotFoundError(`No alert with id ${id}.`);
  assertMayRead(actor, alert);
  const updated = await deps.alerts.acknowledgeAlert(id, actor.sub, deps.now().toISOString());
  if (!updated) throw new NotFoundError(`No alert with id ${id}.`);
  return updated;
};
