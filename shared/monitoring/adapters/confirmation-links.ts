import { createCursorCodec } from '../../platform/aws/signed-cursor.ts';
import { InvalidConfirmationError } from '../../platform/errors.ts';
import type { ConfirmationLinks } from '../app/ports.ts';
import type { ConfirmationClaim } from '../domain/subscription.ts';

/** What a sealed claim is bound to: a page cursor (or anything else signed with the key) never opens as one. */
const PURPOSE = 'subscription-confirmation';

/**
 * Confirmation links' tokens, sealed like page cursors (HMAC-SHA256 over the payload and its purpose,
 * base64url) with their own key, SUBSCRIPTION_CONFIRM_SECRET: only the system can mint one, and an
 * edited one is refused.
 */
export const createConfirmationLinks = (secret: string): ConfirmationLinks => {
  const codec = createCursorCodec(secret);
  const refuse = () =>
    new InvalidConfirmationError(
      'This confirmation link was altered or cut short; open the link exactly as e-mailed, or ask for a new subscription.',
    );
  return {
    seal: (claim) => codec.encode(JSON.stringify(claim), PURPOSE),
    open: (token) => {
      let claim: Record<string, unknown>;
      try {
        claim = JSON.parse(codec.decode(token, PURPOSE)) as Record<string, unknown>;
      } catch {
        throw refuse();
      }
      const { jurisdiction, subscriptionId, email, createdAt, expiresAt } = claim;
      if (![subscriptionId, email, createdAt, expiresAt].every((v) => typeof v === 'string')) throw refuse();
      // Under the signature too; absent only on links e-mailed before it was added (claimJurisdiction).
      if (jurisdiction !== undefined && (typeof jurisdiction !== 'string' || jurisdiction === ''))
        throw refuse();
      return claim as unknown as ConfirmationClaim;
    },
  };
};
