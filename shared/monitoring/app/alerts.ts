import type { Page } from '../../ledger/app/ports.ts';
import {
  type Actor,
  assertReaches,
  jurisdictionOfScope,
  restrictFilter,
  scopeOf,
} from '../../platform/access.ts';
import { InvalidConfirmationError, InvalidCursorError, NotFoundError } from '../../platform/errors.ts';
import { compareAlerts, type StoredAlert } from '../domain/alert.ts';
import { acknowledgedByLink, claimedJurisdiction } from '../domain/alert-link.ts';
import type { AcknowledgementLinks, AlertFilter, AlertStore } from './ports.ts';

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

/** What the acknowledge link's page needs: the alerts, the links' seal, the clock. */
export interface LinkAcknowledgementDeps {
  alerts: AlertStore;
  links: AcknowledgementLinks;
  now: () => Date;
}

/** The claim of a genuine, unexpired acknowledge link, and the alert it names (in the jurisdiction it names). */
const openLink = async (deps: LinkAcknowledgementDeps, token: string) => {
  const claim = deps.links.open(token);
  if (deps.now().toISOString() > claim.expiresAt) {
    throw new InvalidConfirmationError(
      'This acknowledgement link has expired; acknowledge the alert on the dashboard instead.',
      { reason: 'expired' },
    );
  }
  const alert = await deps.alerts.getAlert(claimedJurisdiction(claim), claim.alertId);
  if (!alert) throw new NotFoundError('The alert this link acknowledges no longer exists.');
  return { claim, alert };
};

/**
 * The page an alert e-mail's acknowledge link opens: the alert as it stands, changing nothing (mail
 * scanners open links before people do).
 */
export const showAlertByLink = async (deps: LinkAcknowledgementDeps, token: string): Promise<StoredAlert> =>
  (await openLink(deps, token)).alert;

/**
 * The page's one button: acknowledges the alert the signed link names, in the name of the address it
 * was e-mailed to (again: the first acknowledgement is kept).
 */
export const acknowledgeAlertByLink = async (
  deps: LinkAcknowledgementDeps,
  token: string,
): Promise<StoredAlert> => {
  const { claim } = await openLink(deps, token);
  const updated = await deps.alerts.acknowledgeAlert(
    claimedJurisdiction(claim),
    claim.alertId,
    acknowledgedByLink(claim),
    deps.now().toISOString(),
  );
  if (!updated) throw new NotFoundError('The alert this link acknowledges no longer exists.');
  return updated;
};
