import type { LedgerStore, Page } from '../../../shared/ledger/app/ports.ts';
import type { DisbursementRequest } from '../../../shared/ledger/domain/disbursement-request.ts';
import type {
  AlertFilter,
  AlertPublisher,
  AlertStore,
  DeliveryLog,
  Mailer,
  OutgoingMail,
  ProgressSource,
  SubscriptionStore,
} from '../../../shared/monitoring/app/ports.ts';
import type { Alert, StoredAlert } from '../../../shared/monitoring/domain/alert.ts';
import type { Subscription } from '../../../shared/monitoring/domain/subscription.ts';
import { inJurisdiction } from './in-jurisdiction.ts';
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

/**
 * The monitoring ports in memory, with the same conditional semantics as the DynamoDB adapter (the
 * contract in test/support/contracts/monitoring-contract.ts holds both to them). Like the adapter,
 * which reads the ledger's items in the same table, it reads allocations and pending requests from a
 * ledger store: arrange them through `ledger`. Values are copied in and out.
 */
export class InMemoryMonitoring implements ProgressSource, AlertStore, SubscriptionStore, DeliveryLog {
  readonly alerts = new Map<string, StoredAlert>();
  readonly subscriptions = new Map<string, Subscription>();
  readonly deliveries = new Map<string, { status: string; claimedAt: string }>();

  constructor(readonly ledger: LedgerStore = new InMemoryLedgerStore()) {}

  async listAllocationsOfYear(fiscalYear: number) {
    return this.ledger.listAllocations({ fiscalYear });
  }
  async listPendingRequests() {
    const pending: DisbursementRequest[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.ledger.listRequests({ status: 'pending_approval' }, 100, cursor);
      pending.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return pending;
  }
  async recordAlert(alert: Alert) {
    const existing = this.alerts.get(alert.id);
    if (existing && (existing.queuedAt !== undefined || existing.status !== 'open')) return false;
    this.alerts.set(alert.id, { ...copy(alert), status: 'open' });
    return true;
  }
  async markAlertQueued(id: string, at: string) {
    const a = this.alerts.get(id);
    if (a) a.queuedAt = at;
  }
  async getAlert(id: string) {
    const a = this.alerts.get(id);
    return a && copy(a);
  }
  async listAlerts(filter: AlertFilter, limit: number, cursor?: string): Promise<Page<StoredAlert>> {
    const matching = [...this.alerts.values()].filter(
      (a) =>
        (filter.fiscalYear === undefined || a.fiscalYear === filter.fiscalYear) &&
        (filter.status === undefined || a.status === filter.status) &&
        (filter.severity === undefined || a.severity === filter.severity) &&
        (filter.commune === undefined || a.scope.commune === filter.commune) &&
        inJurisdiction(filter.jurisdiction, a.scope),
    );
    return pageNewestFirst(matching, alertPosition, limit, cursor);
  }
  async acknowledgeAlert(id: string, by: string, at: string) {
    const a = this.alerts.get(id);
    if (a && a.status === 'open')
      Object.assign(a, { status: 'acknowledged', acknowledgedBy: by, acknowledgedAt: at });
    return a && copy(a);
  }
  async putSubscription(s: Subscription) {
    if (this.subscriptions.has(s.id)) return false;
    this.subscriptions.set(s.id, copy(s));
    return true;
  }
  async getSubscription(id: string) {
    const s = this.subscriptions.get(id);
    return s && copy(s);
  }
  async listSubscriptions(owner?: string) {
    return [...this.subscriptions.values()]
      .filter((s) => owner === undefined || s.owner === owner)
      .sort(byPosition(subscriptionPosition))
      .map(copy);
  }
  async deleteSubscription(id: string, owner: string, _at: string) {
    if (this.subscriptions.get(id)?.owner !== owner) return false;
    return this.subscriptions.delete(id);
  }
  async confirmSubscription(id: string, at: string) {
    const s = this.subscriptions.get(id);
    if (!s) return undefined;
    const confirmed = { ...s, confirmedAt: s.confirmedAt ?? at };
    this.subscriptions.set(id, confirmed);
    return copy(confirmed);
  }
  async claimDelivery(alertId: string, email: string, at: string, staleBefore: string) {
    const key = `${alertId}|${email}`;
    const d = this.deliveries.get(key);
    if (d && !(d.status === 'failed' || (d.status === 'sending' && d.claimedAt < staleBefore))) return false;
    this.deliveries.set(key, { status: 'sending', claimedAt: at });
    return true;
  }
  async completeDelivery(alertId: string, email: string) {
    const d = this.deliveries.get(`${alertId}|${email}`);
    if (d) d.status = 'sent';
  }
  async releaseDelivery(alertId: string, email: string) {
    const d = this.deliveries.get(`${alertId}|${email}`);
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
