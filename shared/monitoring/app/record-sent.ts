import type { DeliveryLog } from './ports.ts';

/** How many times a sent e-mail's delivery record is written before the sender gives up on it. */
const RECORD_SENT_ATTEMPTS = 5;

/**
 * Marks a claimed delivery sent, once its e-mail is out. A failed write is tried again (it only sets
 * the record's status, so a repeat is harmless), and never thrown: the mail has gone, and a failure
 * here would have the message redelivered, the claim found stale and the same e-mail sent twice.
 * Answers whether the record was written.
 */
export const recordSent = async (
  deliveries: Pick<DeliveryLog, 'completeDelivery'>,
  delivery: { jurisdiction: string; id: string; to: string; messageId: string },
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
