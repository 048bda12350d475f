import { sha256Hex } from '../../ledger/domain/hash-chain.ts';
import type { EmailContextOf } from '../../monitoring/app/email-context.ts';
import type { DeliveryLog, Mailer, SubscriptionStore } from '../../monitoring/app/ports.ts';
import { recordSent } from '../../monitoring/app/record-sent.ts';
import { mayReceiveAlerts, subscriptionKind } from '../../monitoring/domain/subscription.ts';
import { renderDigestEmail } from '../presentation/digest-email.ts';
import type { DigestNotice } from './anchor-digest.ts';

export interface DigestMailDeps {
  subscriptions: Pick<SubscriptionStore, 'listSubscriptions'>;
  deliveries: Pick<DeliveryLog, 'claimDelivery' | 'completeDelivery' | 'releaseDelivery'>;
  mailer: Mailer;
  /** The From address. */
  sender: string;
  /** E-mail domains the deployment trusts: their addresses need no confirmation. */
  allowList: readonly string[];
  /** How the e-mail names the jurisdiction. */
  contextOf: EmailContextOf;
  now: () => Date;
  /** After this long an unfinished claim (a crashed sender) may be taken over. */
  claimTimeoutMs?: number;
}

/** The delivery record's id of a day's digest e-mail (beside the alerts', in the jurisdiction's partition). */
export const digestMailId = (date: string): string => `ledger-digest-${date}`;

/**
 * E-mails a day's anchored digest to every auditor of its jurisdiction subscribed to it (kind
 * `ledger-digest`, confirmed or allow-listed), once per address: each send is claimed by a
 * conditional record first (the alerts' delivery log), so a second run of the job sends nothing
 * again. A failed send gives its claim back and throws, so the next run tries again.
 */
export const notifyAuditors = async (deps: DigestMailDeps, notice: DigestNotice) => {
  const subscriptions = await deps.subscriptions.listSubscriptions(notice.jurisdiction);
  const recipients = [
    ...new Set(
      subscriptions
        .filter((s) => subscriptionKind(s) === 'ledger-digest' && mayReceiveAlerts(s, deps.allowList))
        .map((s) => s.email),
    ),
  ].sort();
  const { places } = deps.contextOf(notice.jurisdiction, notice.date);
  const id = digestMailId(notice.date);
  let sent = 0;
  for (const to of recipients) {
    const now = deps.now();
    const staleBefore = new Date(now.getTime() - (deps.claimTimeoutMs ?? 10 * 60_000)).toISOString();
    if (!(await deps.deliveries.claimDelivery(notice.jurisdiction, id, to, now.toISOString(), staleBefore)))
      continue;
    let messageId: string;
    try {
      ({ messageId } = await deps.mailer.send({
        ...renderDigestEmail(notice, places),
        from: deps.sender,
        to,
        messageId: `${id}.${notice.jurisdiction}.${sha256Hex(to).slice(0, 12)}@giai-ngan.digests`,
        date: now,
        alertId: `${id}-${notice.jurisdiction}`,
      }));
    } catch (error) {
      await deps.deliveries
        .releaseDelivery(notice.jurisdiction, id, to, String(error))
        .catch(() => undefined);
      throw error;
    }
    // Never released once sent: the mail is out, and a second run must not send it again.
    await recordSent(deps.deliveries, { jurisdiction: notice.jurisdiction, id, to, messageId }, deps.now);
    sent += 1;
  }
  return { recipients: recipients.length, sent };
};
