import type { Page } from '../../../shared/ledger/app/ports.ts';
import type { Allocation } from '../../../shared/ledger/domain/allocation.ts';
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

/** The monitoring ports in memory, with the same conditional semantics as the DynamoDB adapter. */
export class InMemoryMonitoring implements ProgressSource, AlertStore, SubscriptionStore, DeliveryLog {
  allocations: Allocation[] = [];
  pending: DisbursementRequest[] = [];
  readonly alerts = new Map<string, StoredAlert>();
  readonly subscriptions = new Map<string, Subscription>();
  readonly deliveries = new Map<string, { status: string; claimedAt: string }>();

  async listAllocationsOfYear(fiscalYear: number) {
    return this.allocations.filter((a) => a.fiscalYear === fiscalYear);
  }
  async listPendingRequests() {
    return this.pending.filter((r) => r.status === 'pending_approval');
  }
  async recordAlert(alert: Alert) {
    const existing = this.alerts.get(alert.id);
    if (existing && (existing.queuedAt !== undefined || existing.status !== 'open')) return false;
    this.alerts.set(alert.id, { ...alert, status: 'open' });
    return true;
  }
  async markAlertQueued(id: string, at: string) {
    const a = this.alerts.get(id);
    if (a) a.queuedAt = at;
  }
  async getAlert(id: string) {
    return this.alerts.get(id);
  }
  async listAlerts(filter: AlertFilter, limit: number): Promise<Page<StoredAlert>> {
    const items = [...this.alerts.values()]
      .filter(
        (a) =>
          (filter.fiscalYear === undefined || a.fiscalYear === filter.fiscalYear) &&
          (filter.status === undefined || a.status === filter.status) &&
          (filter.severity === undefined || a.severity === filter.severity) &&
          (filter.commune === undefined || a.scope.commune === filter.commune),
      )
      .slice(0, limit);
    return { items };
  }
  async acknowledgeAlert(id: string, by: string, at: string) {
    const a = this.alerts.get(id);
    if (a && a.status === 'open')
      Object.assign(a, { status: 'acknowledged', acknowledgedBy: by, acknowledgedAt: at });
    return a;
  }
  async putSubscription(s: Subscription) {
    if (this.subscriptions.has(s.id)) return false;
    this.subscriptions.set(s.id, s);
    return true;
  }
  async getSubscription(id: string) {
    return this.subscriptions.get(id);
  }
  async listSubscriptions(owner?: string) {
    return [...this.subscriptions.values()].filter((s) => owner === undefined || s.owner === owner);
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
    return confirmed;
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
