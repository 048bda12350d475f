import type { Page } from '../../ledger/app/ports.ts';
import {
  type Actor,
  assertReaches,
  jurisdictionOfScope,
  restrictFilter,
  scopeOf,
} from '../../platform/access.ts';
import { InvalidCursorError, NotFoundError } from '../../platform/errors.ts';
import { compareAlerts, type StoredAlert } from '../domain/alert.ts';
import type { AlertFilter, AlertStore } from './ports.ts';

/** How many alerts the store hands over per read while the listing is gathered for ordering. */
const GATHER_PAGE = 100;

/** A page of alerts in reading order, with how many the filter matches in all. */
export interface AlertPage extends Page<StoredAlert> {
  total: number;
}

/** A listing position: how many alerts of the ordered listing came before (the edge signs it). */
const offsetOf = (cursor: string | undefined): number => {
  if (cursor === undefined) return 0;
  const offset = /^o:(\d{1,9})$/.exec(cursor)?.[1];
  if (offset === undefined) {
    throw new InvalidCursorError('The cursor is not one this listing issued; start again without it.');
  }
  return Number(offset);
};

/**
 * The caller's jurisdiction's alerts in the order inspectors act on them (compareAlerts: critical
 * first, then the largest lag, then the newest), with their total; a commune-scoped reader sees only
 * the alerts about their commune. The order spans every page, so the filter's alerts are read whole
 * (one fiscal year's alerts of one jurisdiction: docs/monitoring.md "Alert order").
 */
export const listAlerts = async (
  store: AlertStore,
  actor: Actor,
  filter: Omit<AlertFilter, 'commune' | 'jurisdiction'>,
  limit: number,
  cursor?: string,
): Promise<AlertPage> => {
  const scope = scopeOf(actor);
  const narrowed = { ...restrictFilter(scope, filter), jurisdiction: jurisdictionOfScope(scope) };
  const offset = offsetOf(cursor);
  const all: StoredAlert[] = [];
  let next: string | undefined;
  do {
    const page = await store.listAlerts(narrowed, GATHER_PAGE, next);
    all.push(...page.items);
    next = page.nextCursor;
  } while (next !== undefined);
  const items = all.sort(compareAlerts).slice(offset, offset + limit);
  const end = offset + items.length;
  return { items, total: all.length, ...(end < all.length ? { nextCursor: `o:${end}` } : {}) };
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
