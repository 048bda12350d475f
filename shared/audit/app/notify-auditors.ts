import { sha256Hex } from '../../ledger/domain/hash-chain.ts';
import type { EmailContextOf } from '../../monitoring/app/email-context.ts';
import type { DeliveryLog, Mailer, SubscriptionStore } from '../../monitoring/app/ports.ts';
import { sendEachOnce } from '../../monitoring/app/send-once.ts';
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
 * `ledger-digest`, confirmed or allow-listed), once per address ({@link sendOnce}, with the alerts'
 * delivery log): a second run of the job sends nothing again. A failed send, or an e-mail another run
 * still holds, throws once the other auditors are served, so the next run tries again.
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
  // The others are served before the next run of the job sends those left for later.
  const sent = await sendEachOnce(
    deps,
    `digest e-mail ${id} (${notice.jurisdiction})`,
    recipients.map((to) => ({
      delivery: { jurisdiction: notice.jurisdiction, id, to },
      mail: () => ({
        ...renderDigestEmail(notice, places),
        from: deps.sender,
        to,
        messageId: `${id}.${notice.jurisdiction}.${sha256Hex(to).slice(0, 12)}@giai-ngan.digests`,
        date: deps.now(),
        alertId: `${id}-${notice.jurisdiction}`,
      }),
    })),
  );
  return { recipients: recipients.length, sent };
};
