import type { Actor } from './disbursement-request.ts';
import { ForbiddenError } from './errors.ts';
import type { FundingLine } from './funding-line.ts';
import { canonicalJson, sha256Hex } from './hash-chain.ts';
import { emailKey } from './person.ts';
import type { Scope } from './progress.ts';

/** What an inspector watches: any mix of funding line, commune and component; nothing given is the whole district. */
export interface SubscriptionScope {
  fundingLine?: FundingLine;
  commune?: string;
  component?: string;
}

/** An inspector's request to be e-mailed the alerts of a scope ("đăng ký nhận cảnh báo"). */
export interface Subscription {
  id: string;
  owner: string;
  /** The owner's commune claim when they subscribed: alerts outside it are never sent. */
  ownerCommune?: string;
  email: string;
  scope: SubscriptionScope;
  createdAt: string;
}

/** One id per owner, address and scope, so subscribing twice to the same thing keeps one subscription. */
export const subscriptionId = (owner: string, email: string, scope: SubscriptionScope): string =>
  `sub-${sha256Hex(canonicalJson({ owner, email: emailKey(email), scope })).slice(0, 24)}`;

/** A commune-scoped inspector may only watch their commune. */
export const assertMayWatch = (actor: Actor, scope: SubscriptionScope): void => {
  if (actor.commune !== undefined && scope.commune !== actor.commune) {
    throw new ForbiddenError(
      `Your account is limited to ${actor.commune}: subscribe with scope.commune "${actor.commune}".`,
      { commune: actor.commune },
    );
  }
};

/**
 * True when a subscription covers an alert's scope: every field the subscription names must match.
 * A commune subscription therefore gets its commune's alerts, not the district-wide roll-ups.
 */
export const covers = (subscription: Pick<Subscription, 'scope' | 'ownerCommune'>, scope: Scope): boolean => {
  const s = subscription.scope;
  if (subscription.ownerCommune !== undefined && scope.commune !== subscription.ownerCommune) return false;
  return (
    (s.fundingLine === undefined || s.fundingLine === scope.fundingLine) &&
    (s.commune === undefined || s.commune === scope.commune) &&
    (s.component === undefined || s.component === scope.component)
  );
};
