import { sha256Hex } from '../../ledger/domain/hash-chain.ts';
import { retryTransient } from '../../platform/transient-failure.ts';
import { type Alert, alertJurisdiction } from '../domain/alert.ts';
import { acknowledgementClaim, acknowledgementLink, dashboardAlertLink } from '../domain/alert-link.ts';
import { covers, mayReceiveAlerts } from '../domain/subscription.ts';
import { renderAlertEmail } from '../presentation/alert-email.ts';
import type { EmailContextOf } from './email-context.ts';
import type { AcknowledgementLinks, DeliveryLog, Mailer, SubscriptionStore } from './ports.ts';
import { sendEachOnce } from './send-once.ts';

/** Where an alert e-mail's links lead: the dashboard, and the API that serves the acknowledge page. */
export interface PublicUrls {
  dashboardUrl: string;
  apiUrl: string;
}

export interface DeliveryDeps {
  subscriptions: SubscriptionStore;
  deliveries: DeliveryLog;
  mailer: Mailer;
  /** The From address. */
  sender: string;
  /** E-mail domains the deployment trusts: their addresses get alerts without confirming. */
  allowList: readonly string[];
  /** How the e-mail names places and approval levels: those of the alert's jurisdiction. */
  contextOf: EmailContextOf;
  now: () => Date;
  /** Seals each recipient's acknowledge link. */
  acknowledgementLinks: AcknowledgementLinks;
  /** The deployment's public URLs (read once, on first use: the local gateway learns its port late). */
  publicUrls: () => PublicUrls;
  /**
   * After this long an unfinished claim (a sender that crashed) may be taken over. Shorter than the
   * queue's redelivery delay: a redelivery after a crash then finds the claim stale and sends, instead
   * of finding it held and spending one more of the message's receives.
   */
  claimTimeoutMs?: number;
}

export interface DeliveryResult {
  recipients: number;
  sent: number;
  alreadySent: number;
}

/** One Message-ID per alert and recipient: a mail client can also spot a duplicate by it. */
export const messageIdFor = (alertId: string, email: string): string =>
  `${alertId}.${sha256Hex(email).slice(0, 12)}@giai-ngan.alerts`;

/**
 * E-mails an alert to every confirmed or allow-listed address whose subscription covers its scope, once
 * per address ({@link sendOnce}): a redelivered alert sends nothing again. A failed send gives its claim
 * back and throws, and an e-mail another sender still holds is left for later, so the queue redelivers
 * the alert (and dead-letters it in the end).
 */
export const deliverAlert = async (deps: DeliveryDeps, alert: Alert): Promise<DeliveryResult> => {
  // The alert's jurisdiction travels in its scope (the queue message has no other field for it): its
  // subscribers, its delivery records and its e-mail's place names are that jurisdiction's.
  const jurisdiction = alertJurisdiction(alert);
  const subscriptions = await retryTransient(() => deps.subscriptions.listSubscriptions(jurisdiction));
  const recipients = [
    ...new Set(
      subscriptions
        // An address gets alerts only once it confirmed, or when its domain is allow-listed.
        .filter((s) => covers(s, alert.scope) && mayReceiveAlerts(s, deps.allowList))
        .map((s) => s.email),
    ),
  ].sort();
  const context = deps.contextOf(jurisdiction, alert.day, alert.fiscalYear);
  // The others are served before the queue brings the alert back for those left for later.
  const sent = await sendEachOnce(
    deps,
    `alert ${alert.id}`,
    recipients.map((to) => ({
      delivery: { jurisdiction, id: alert.id, to },
      mail: () => {
        const now = deps.now();
        const { dashboardUrl, apiUrl } = deps.publicUrls();
        // Each recipient's own acknowledge link: the acknowledgement is recorded in their name.
        const email = renderAlertEmail(alert, context, {
          dashboard: dashboardAlertLink(dashboardUrl, alert),
          acknowledge: acknowledgementLink(
            apiUrl,
            deps.acknowledgementLinks.seal(acknowledgementClaim(alert, to, now)),
          ),
        });
        return {
          ...email,
          from: deps.sender,
          to,
          messageId: messageIdFor(alert.id, to),
          date: now,
          alertId: alert.id,
        };
      },
    })),
  );
  return { recipients: recipients.length, sent, alreadySent: recipients.length - sent };
};
