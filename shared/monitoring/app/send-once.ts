import { randomUUID } from 'node:crypto';
import { type RetriedLater, ServiceUnavailableError } from '../../platform/errors.ts';
import { retryTransient } from '../../platform/transient-failure.ts';
import type { DeliveryLog, Mailer, OutgoingMail } from './ports.ts';

/** How many times a sent e-mail's delivery record is written before the sender gives up on it. */
const RECORD_SENT_ATTEMPTS = 5;

/** How long a claim lives when the deployment sets nothing: longer than any send. */
const DEFAULT_CLAIM_TIMEOUT_MS = 10 * 60_000;

/** What sending one e-mail once came to. `later`: not sent now, and it must be tried again. */
export type SendOnceOutcome = 'sent' | 'already-sent' | 'later';

export interface SendOnceDeps {
  deliveries: Pick<DeliveryLog, 'claimDelivery' | 'completeDelivery' | 'releaseDelivery'>;
  mailer: Mailer;
  now: () => Date;
  /**
   * After this long an unfinished claim (a sender that crashed) may be taken over by another sender.
   * A sender starts its send only in the first half of its claim's life, so the send and its record
   * have the other half before anyone may take the claim over.
   */
  claimTimeoutMs: number;
  /** One id per attempt, so an attempt recognises its own claim (tests fix it). */
  newClaimant?: () => string;
}

/** The record of one e-mail: the alert's or digest's id and the address, in the jurisdiction. */
export interface DeliveryKey {
  jurisdiction: string;
  id: string;
  to: string;
}

/**
 * Sends one e-mail at most once, whoever else is sending it (DESIGN §2): a conditional claim first,
 * then the send, then the record that it went.
 * - Another sender's fresh claim answers `later`, never "sent": that sender may still crash before
 *   sending, and only a later try (after the claim goes stale) can tell.
 * - A claim that took so long to land that it could be taken over before the send ends (a slow,
 *   retried write) is given back and answers `later`: in AWS Lambda would stop such a sender; locally
 *   nothing does, and a redelivery would send the same e-mail too.
 * - A failed send gives the claim back and throws. A sent e-mail's claim is never given back.
 */
export const sendOnce = async (
  deps: SendOnceDeps,
  delivery: DeliveryKey,
  mail: OutgoingMail,
): Promise<SendOnceOutcome> => {
  const { jurisdiction, id, to } = delivery;
  const at = deps.now();
  const claimant = (deps.newClaimant ?? randomUUID)();
  // Tried again on a passing failure: the claim is this attempt's own, so a repeat of one that landed
  // (its answer lost) is granted again.
  const claim = await retryTransient(() =>
    deps.deliveries.claimDelivery(jurisdiction, id, to, {
      at: at.toISOString(),
      staleBefore: new Date(at.getTime() - deps.claimTimeoutMs).toISOString(),
      claimant,
    }),
  );
  if (claim === 'sent') return 'already-sent';
  if (claim === 'busy') return 'later';
  const release = (why: string) =>
    deps.deliveries.releaseDelivery(jurisdiction, id, to, why).catch(() => undefined);
  if (deps.now().getTime() - at.getTime() > deps.claimTimeoutMs / 2) {
    await release('claim landed too late to send safely');
    return 'later';
  }
  let messageId: string;
  try {
    ({ messageId } = await deps.mailer.send(mail));
  } catch (error) {
    await release(String(error));
    throw error;
  }
  await recordSent(deps.deliveries, { ...delivery, messageId }, deps.now);
  return 'sent';
};

/**
 * Sends each e-mail once ({@link sendOnce}), in turn; then, when some were left for later, throws
 * {@link DeliveriesPendingError} (the others served), so that the queue or the next run brings them back.
 * Answers how many went now.
 */
export const sendEachOnce = async (
  deps: Omit<SendOnceDeps, 'claimTimeoutMs'> & { claimTimeoutMs?: number },
  what: string,
  mails: readonly { delivery: DeliveryKey; mail: () => OutgoingMail }[],
): Promise<number> => {
  const withTimeout = { ...deps, claimTimeoutMs: deps.claimTimeoutMs ?? DEFAULT_CLAIM_TIMEOUT_MS };
  const later: string[] = [];
  let sent = 0;
  for (const { delivery, mail } of mails) {
    const outcome = await sendOnce(withTimeout, delivery, mail());
    if (outcome === 'sent') sent += 1;
    if (outcome === 'later') later.push(delivery.to);
  }
  if (later.length > 0) throw new DeliveriesPendingError(what, later);
  return sent;
};

/**
 * Marks a claimed delivery sent, once its e-mail is out. A failed write is tried again (it only sets
 * the record's status, so a repeat is harmless), and never thrown: the mail has gone, and a failure
 * here would have the message redelivered, the claim found stale and the same e-mail sent twice.
 * Answers whether the record was written.
 */
export const recordSent = async (
  deliveries: Pick<DeliveryLog, 'completeDelivery'>,
  delivery: DeliveryKey & { messageId: string },
  now: () => Date,
): Promise<boolean> => {
  for (let attempt = 1; attempt <= RECORD_SENT_ATTEMPTS; attempt++) {
    try {
      await deliveries.completeDelivery(
        delivery.jurisdiction,
        delivery.id,
        delivery.to,
        now().toISOString(),
        delivery.messageId,
      );
      return true;
    } catch {
      if (attempt < RECORD_SENT_ATTEMPTS) await new Promise((r) => setTimeout(r, 50 * attempt));
    }
  }
  return false;
};

/**
 * Thrown after a run that left e-mails to send later (held by another sender, or claimed too late),
 * once every other recipient was served: the queue or the next run brings them back.
 */
export class DeliveriesPendingError extends ServiceUnavailableError implements RetriedLater {
  readonly retriedLater = true;
  constructor(what: string, addresses: readonly string[]) {
    super(
      `${what}: ${addresses.length} e-mail(s) still held by another sender or claimed too late; retried later.`,
    );
  }
}
