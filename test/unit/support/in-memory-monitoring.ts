import type { EntryQuery } from '../../../shared/audit/app/ports.ts';
import type { LedgerStore, Page } from '../../../shared/ledger/app/ports.ts';
import type { DisbursementRequest } from '../../../shared/ledger/domain/disbursement-request.ts';
import type { LedgerEntry } from '../../../shared/ledger/domain/ledger-entry.ts';
import type {
  AlertFilter,
  AlertPublisher,
  AlertStore,
  DeliveryClaim,
  DeliveryLog,
  Mailer,
  OutgoingMail,
  ProgressSource,
  SubscriptionStore,
} from '../../../shared/monitoring/app/ports.ts';
import { type Alert, alertJurisdiction, type StoredAlert } from '../../../shared/monitoring/domain/alert.ts';
import {
  type Subscription,
  subscriptionJurisdiction,
} from '../../../shared/monitoring/domain/subscription.ts';
import {
  alertKeys,
  deliveryKeys,
  type ItemKey,
  splitJurisdiction,
  subscriptionKeys,
} from '../../../shared/platform/table/keys.ts';
import { InMemoryLedgerStore, pageNewestFirst } from './in-memory-ledger-store.ts';

const copy = <T>(value: T): T => structuredClone(value);

/** Alerts newest first, as the adapter's listing index reads them (sort key `fiscalYear#day#id`, backwards). */
const alertPosition = (a: StoredAlert) => `${a.fiscalYear}#${a.day}#${a.id}`;
/** Subscriptions in the order of the adapter's listing: by owner (URI-encoded, then `#`), then id. */
const subscriptionPosition = (s: Subscription) => `${encodeURIComponent(s.owner)}#${s.id}`;
const byPosition =
  <T>(positionOf: (item: T) => string) =>
  (a: T, b: T) =>
    positionOf(a) < positionOf(b) ? -1 : positionOf(a) > positionOf(b) ? 1 : 0;

/** Items held under the table's own keys (platform/table/keys.ts), so each lies in its jurisdiction's partition. */
const keyOf = (key: ItemKey) => `${key.pk}|${key.sk}`;
/** The items of one jurisdiction's partitions: those whose key names it. */
const within = <T>(items: Map<string, T>, jurisdiction: string): T[] =>
  [...items].filter(([key]) => splitJurisdiction(key)?.jurisdiction === jurisdiction).map(([, item]) => item);

/**
 * The monitoring ports in memory, with the same conditional semantics as the DynamoDB adapter (the
 * contract in test/support/contracts/monitoring-contract.ts holds both to them). Items are held under
 * the adapter's keys, so a read in one jurisdiction never finds another's. Like the adapter, which
 * reads the ledger's items in the same table, it reads allocations and pending requests from a ledger
 * store: arrange them through `ledger`. Values are copied in and out.
 */
export class InMemoryMonitoring implements ProgressSource, AlertStore, SubscriptionStore, DeliveryLog {
  /** By `alertKeys.key` (`J#<j>#ALERT#<id>|A`). */
  readonly alerts = new Map<string, StoredAlert>();
  /** By `subscriptionKeys.key` (`J#<j>#SUB#<id>|S`). */
  readonly subscriptions = new Map<string, Subscription>();
  /** By `deliveryKeys.key`. */
  readonly deliveries = new Map<string, { status: string; claimedAt: string; claimant: string }>();

  constructor(readonly ledger: LedgerStore = new InMemoryLedgerStore()) {}

  async listAllocationsOfYear(jurisdiction: string, fiscalYear: number) {
    return this.ledger.listAllocations({ jurisdiction, fiscalYear });
  }
  async listPendingRequests(jurisdiction: string) {
    const pending: DisbursementRequest[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.ledger.listRequests({ jurisdiction, status: 'pending_approval' }, 100, cursor);
      pending.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return pending;
  }
  /** The year's entries posted in [from, to), in posting order, as one page (the forecast window's read). */
  async queryEntries(query: EntryQuery): Promise<Page<LedgerEntry>> {
    const allocations = await this.ledger.listAllocations({
      jurisdiction: query.jurisdiction,
      fiscalYear: query.fiscalYear,
    });
    const entries = (
      await Promise.all(allocations.map((a) => this.ledger.listEntries(query.jurisdiction, a.id)))
    )
      .flat()
      .filter(
        (e) =>
          (query.from === undefined || e.postedAt >= query.from) &&
          (query.to === undefined || e.postedAt < query.to),
      );
    return { items: entries.sort((a, b) => a.postedAt.localeCompare(b.postedAt)) };
  }
  async recordAlert(alert: Alert) {
    const key = keyOf(alertKeys.key(alertJurisdiction(alert), alert.id));
    const existing = this.alerts.get(key);
    if (existing && (existing.queuedAt !== undefined || existing.status !== 'open')) return false;
    this.alerts.set(key, { ...copy(alert), status: 'open' });
    return true;
  }
  async markAlertQueued(jurisdiction: string, id: string, at: string) {
    const a = this.alerts.get(keyOf(alertKeys.key(jurisdiction, id)));
    if (a) a.queuedAt = at;
  }
  async getAlert(jurisdiction: string, id: string) {
    const a = this.alerts.get(keyOf(alertKeys.key(jurisdiction, id)));
    return a && copy(a);
  }
  async listAlerts(filter: AlertFilter, limit: number, cursor?: string): Promise<Page<StoredAlert>> {
    const matching = within(this.alerts, filter.jurisdiction).filter(
      (a) =>
        (filter.fiscalYear === undefined || a.fiscalYear === filter.fiscalYear) &&
        (filter.status === undefined || a.status === filter.status) &&
        (filter.severity === undefined || a.severity === filter.severity) &&
        (filter.commune === undefined || a.scope.commune === filter.commune),
    );
    return pageNewestFirst(matching, alertPosition, limit, cursor);
  }
  async acknowledgeAlert(jurisdiction: string, id: string, by: string, at: string) {
    const a = this.alerts.get(keyOf(alertKeys.key(jurisdiction, id)));
    if (a && a.status === 'open')
      Object.assign(a, { status: 'acknowledged', acknowledgedBy: by, acknowledgedAt: at });
    return a && copy(a);
  }
  async putSubscription(s: Subscription) {
    const key = keyOf(subscriptionKeys.key(subscriptionJurisdiction(s), s.id));
    if (this.subscriptions.has(key)) return false;
    this.subscriptions.set(key, copy(s));
    return true;
  }
  async getSubscription(jurisdiction: string, id: string) {
    const s = this.subscriptions.get(keyOf(subscriptionKeys.key(jurisdiction, id)));
    return s && copy(s);
  }
  async listSubscriptions(jurisdiction: string, owner?: string) {
    return within(this.subscriptions, jurisdiction)
      .filter((s) => owner === undefined || s.owner === owner)
      .sort(byPosition(subscriptionPosition))
      .map(copy);
  }
  async deleteSubscription(jurisdiction: string, id: string, owner: string, _at: string) {
    const key = keyOf(subscriptionKeys.key(jurisdiction, id));
    if (this.subscriptions.get(key)?.owner !== owner) return false;
    return this.subscriptions.delete(key);
  }
  async confirmSubscription(jurisdiction: string, id: string, at: string) {
    const key = keyOf(subscriptionKeys.key(jurisdiction, id));
    const s = this.subscriptions.get(key);
    if (!s) return undefined;
    const confirmed = { ...s, confirmedAt: s.confirmedAt ?? at };
    this.subscriptions.set(key, confirmed);
    return copy(confirmed);
  }
  async claimDelivery(
    jurisdiction: string,
    alertId: string,
    email: string,
    claim: { at: string; staleBefore: string; claimant: string },
  ): Promise<DeliveryClaim> {
    const key = keyOf(deliveryKeys.key(jurisdiction, alertId, email));
    const d = this.deliveries.get(key);
    const free =
      !d ||
      d.status === 'failed' ||
      (d.status === 'sending' && (d.claimedAt < claim.staleBefore || d.claimant === claim.claimant));
    if (!free) return d.status === 'sent' ? 'sent' : 'busy';
    this.deliveries.set(key, { status: 'sending', claimedAt: claim.at, claimant: claim.claimant });
    return 'claimed';
  }
  async completeDelivery(
    jurisdiction: string,
    alertId: string,
    email: string,
    _at?: string,
    _messageId?: string,
  ) {
    const d = this.deliveries.get(keyOf(deliveryKeys.key(jurisdiction, alertId, email)));
    if (d) d.status = 'sent';
  }
  async sentCount(jurisdiction: string, alertId: string) {
    const prefix = keyOf(deliveryKeys.key(jurisdiction, alertId, ''));
    return [...this.deliveries].filter(([key, d]) => key.startsWith(prefix) && d.status === 'sent').length;
  }
  async releaseDelivery(jurisdiction: string, alertId: string, email: string) {
    const d = this.deliveries.get(keyOf(deliveryKeys.key(jurisdiction, alertId, email)));
    if (d?.status === 'sending') d.status = 'failed';
  }
}

/** Collects published alerts. */
export class RecordingPublisher implements AlertPublisher {
  readonly published: Alert[] = [];
  async publish(alert: Alert) {
    this.published.push(alert);
  }
}

/** Collects e-mails; fails the sends listed in `failFor`. */
export class RecordingMailer implements Mailer {
  readonly sent: OutgoingMail[] = [];
  readonly failFor = new Set<string>();
  async send(mail: OutgoingMail) {
    if (this.failFor.has(mail.to)) throw new Error(`mailbox ${mail.to} unavailable`);
    this.sent.push(mail);
    return { messageId: mail.messageId };
  }
}
