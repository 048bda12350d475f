import { createCursorCodec } from '../../platform/aws/signed-cursor.ts';
import { InvalidConfirmationError } from '../../platform/errors.ts';
import type { AcknowledgementLinks, ConfirmationLinks } from '../app/ports.ts';
import type { AcknowledgementClaim } from '../domain/alert-link.ts';
import type { ConfirmationClaim } from '../domain/subscription.ts';

/** What a sealed claim is bound to: a page cursor (or anything else signed with the key) never opens as one. */
const PURPOSE = 'subscription-confirmation';
const ACKNOWLEDGEMENT_PURPOSE = 'alert-acknowledgement';

/**
 * Claims sealed like page cursors (HMAC-SHA256 over the payload and its purpose, base64url): only the
 * system can mint one, an edited one is refused, and one sealed for another purpose never opens here.
 */
const sealedClaims = <C>(
  secret: string,
  purpose: string,
  refusal: string,
  genuine: (claim: Record<string, unknown>) => boolean,
) => {
  const codec = createCursorCodec(secret);
  const refuse = () => new InvalidConfirmationError(refusal);
  return {
    seal: (claim: C) => codec.encode(JSON.stringify(claim), purpose),
    open: (token: string): C => {
      let claim: Record<string, unknown>;
      try {
        claim = JSON.parse(codec.decode(token, purpose)) as Record<string, unknown>;
      } catch {
        throw refuse();
      }
      if (claim === null || typeof claim !== 'object' || !genuine(claim)) throw refuse();
      return claim as C;
    },
  };
};

const strings = (...values: unknown[]) => values.every((v) => typeof v === 'string' && v !== '');

/**
 * Confirmation links' tokens, with their own key, SUBSCRIPTION_CONFIRM_SECRET: only the system can mint
 * one, and an edited one is refused.
 */
export const createConfirmationLinks = (secret: string): ConfirmationLinks =>
  sealedClaims<ConfirmationClaim>(
    secret,
    PURPOSE,
    'This confirmation link was altered or cut short; open the link exactly as e-mailed, or ask for a new subscription.',
    ({ jurisdiction, subscriptionId, email, createdAt, expiresAt }) =>
      strings(subscriptionId, email, createdAt, expiresAt) &&
      // Under the signature too; absent only on links e-mailed before it was added (claimJurisdiction).
      (jurisdiction === undefined || strings(jurisdiction)),
  );

/**
 * The acknowledge links of alert e-mails, signed with the same key as confirmation links (the key of
 * the links the system e-mails) for a purpose of their own: neither opens as the other.
 */
export const createAcknowledgementLinks = (secret: string): AcknowledgementLinks =>
  sealedClaims<AcknowledgementClaim>(
    secret,
    ACKNOWLEDGEMENT_PURPOSE,
    'This acknowledgement link was altered or cut short; open the link exactly as e-mailed, or acknowledge the alert on the dashboard.',
    ({ jurisdiction, alertId, email, expiresAt }) => strings(jurisdiction, alertId, email, expiresAt),
  );
