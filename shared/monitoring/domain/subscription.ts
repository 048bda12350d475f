import type { FundingLine } from '../../ledger/domain/funding-line.ts';
import { canonicalJson, sha256Hex } from '../../ledger/domain/hash-chain.ts';
import { type Actor, assertReaches, hasRole, mayReach, scopeOf } from '../../platform/access.ts';
import { ForbiddenError, ValidationError } from '../../platform/errors.ts';
import { emailKey } from '../../platform/person.ts';
import { jurisdictionOf } from '../../platform/tenancy.ts';
import type { Scope } from './progress.ts';

/** What an inspector watches: any mix of funding line, commune and component; nothing given is the whole district. */
export interface SubscriptionScope {
  fundingLine?: FundingLine;
  commune?: string;
  component?: string;
}

/**
 * What a subscription receives: `alerts` (an inspector's, of a scope) or `ledger-digest` (an
 * auditor's: the daily digest of the jurisdiction's ledger anchored outside the table, docs/integrity.md).
 */
export const SUBSCRIPTION_KINDS = ['alerts', 'ledger-digest'] as const;
export type SubscriptionKind = (typeof SUBSCRIPTION_KINDS)[number];

/** An inspector's request to be e-mailed the alerts of a scope ("đăng ký nhận cảnh báo"), or an auditor's to get the daily digest. */
export interface Subscription {
  id: string;
  /** Absent on alert subscriptions (all of them, before digests were e-mailed). */
  kind?: SubscriptionKind;
  owner: string;
  /** The owner's commune claim when they subscribed: alerts outside it are never sent. */
  ownerCommune?: string;
  /** The owner's jurisdiction (absent on subscriptions from before: the upgrade default): no other's alert is sent. */
  ownerJurisdiction?: string;
  email: string;
  scope: SubscriptionScope;
  createdAt: string;
  /** When the address itself agreed, through the signed link e-mailed to it. */
  confirmedAt?: string;
}

/** What a subscription receives (absent: alerts). */
export const subscriptionKind = (subscription: Pick<Subscription, 'kind'>): SubscriptionKind =>
  subscription.kind ?? 'alerts';

/** The jurisdiction a subscription is kept and read in: its owner's (absent: the upgrade default). */
export const subscriptionJurisdiction = (subscription: Pick<Subscription, 'ownerJurisdiction'>): string =>
  jurisdictionOf({ jurisdiction: subscription.ownerJurisdiction });

/**
 * Whether alerts may go to a subscription's address: `confirmed` (it followed its link),
 * `allow-listed` (its domain is one the deployment trusts), or `pending` (neither: no alert goes).
 */
export type SubscriptionStatus = 'confirmed' | 'allow-listed' | 'pending';

/** How long a confirmation link stays valid. */
export const CONFIRMATION_TTL_HOURS = 72;

/** A domain name as the allow-list takes it: lower-case labels of letters, digits and inner dashes. */
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Reads a deployment's allow-list of e-mail domains (`gov.vn, quangnam.gov.vn`): comma- or
 * space-separated; empty allows none. Fails on anything that is not a domain name, naming it.
 */
export const parseDomainAllowList = (raw: string): string[] => {
  const domains = raw
    .split(/[\s,]+/)
    .map((d) => d.trim().toLowerCase().replace(/^\./, ''))
    .filter((d) => d !== '');
  const bad = domains.filter((d) => !DOMAIN.test(d));
  if (bad.length > 0) {
    throw new Error(
      `The e-mail domain allow-list holds ${bad.map((d) => `"${d}"`).join(', ')}, not domain names; write e.g. "gov.vn, quangnam.gov.vn".`,
    );
  }
  return [...new Set(domains)];
};

/** True when an address's domain is on the allow-list, or under one of its domains (`x.gov.vn` under `gov.vn`). */
export const domainAllowed = (email: string, allowList: readonly string[]): boolean => {
  const key = emailKey(email);
  const domain = key.slice(key.lastIndexOf('@') + 1);
  return key.includes('@') && allowList.some((d) => domain === d || domain.endsWith(`.${d}`));
};

export const subscriptionStatus = (
  subscription: Pick<Subscription, 'email' | 'confirmedAt'>,
  allowList: readonly string[],
): SubscriptionStatus =>
  subscription.confirmedAt !== undefined
    ? 'confirmed'
    : domainAllowed(subscription.email, allowList)
      ? 'allow-listed'
      : 'pending';

/** An address receives alerts only once it confirmed, or when its domain is allow-listed. */
export const mayReceiveAlerts = (
  subscription: Pick<Subscription, 'email' | 'confirmedAt'>,
  allowList: readonly string[],
): boolean => subscriptionStatus(subscription, allowList) !== 'pending';

/** What a confirmation link carries, signed: the subscription as it was when the link was sent. */
export interface ConfirmationClaim {
  /**
   * The jurisdiction the subscription is kept in (its owner's), under the signature: a link opens one
   * subscription of one jurisdiction and can be pointed at no other. Absent on links e-mailed before
   * every key named its jurisdiction: the upgrade default's, where those subscriptions were kept.
   */
  jurisdiction?: string;
  subscriptionId: string;
  email: string;
  /** The subscription's `createdAt`: a link sent for a deleted and re-created subscription fails. */
  createdAt: string;
  expiresAt: string;
}

/** The claim of a link sent now for a subscription, valid for CONFIRMATION_TTL_HOURS. */
export const confirmationClaim = (subscription: Subscription, now: Date): ConfirmationClaim => ({
  jurisdiction: subscriptionJurisdiction(subscription),
  subscriptionId: subscription.id,
  email: subscription.email,
  createdAt: subscription.createdAt,
  expiresAt: new Date(now.getTime() + CONFIRMATION_TTL_HOURS * 3_600_000).toISOString(),
});

/** The jurisdiction whose subscription a (genuine) claim confirms: absent on an older link, the upgrade default. */
export const claimJurisdiction = (claim: Pick<ConfirmationClaim, 'jurisdiction'>): string =>
  jurisdictionOf(claim);

/** Whether a (genuine) claim confirms this subscription at `now`: unexpired, for this very subscription. */
export const checkConfirmation = (
  claim: ConfirmationClaim,
  subscription: Subscription | undefined,
  now: Date,
): 'ok' | 'expired' | 'stale' => {
  if (now.toISOString() > claim.expiresAt) return 'expired';
  if (!subscription || subscription.email !== claim.email || subscription.createdAt !== claim.createdAt)
    return 'stale';
  return 'ok';
};

/**
 * One id per owner, address, scope and kind, so subscribing twice to the same thing keeps one
 * subscription (an alert subscription's id hashes no kind: the ids from before stay).
 */
export const subscriptionId = (
  owner: string,
  email: string,
  scope: SubscriptionScope,
  kind: SubscriptionKind = 'alerts',
): string =>
  `sub-${sha256Hex(canonicalJson({ owner, email: emailKey(email), scope, ...(kind === 'alerts' ? {} : { kind }) })).slice(0, 24)}`;

/** The owner's reach, kept on the subscription: alerts outside it are never sent. */
const ownerReachOf = (actor: Actor): Pick<Subscription, 'ownerCommune' | 'ownerJurisdiction'> => {
  const { commune, jurisdiction } = scopeOf(actor).reach;
  return {
    ...(commune !== undefined ? { ownerCommune: commune } : {}),
    ownerJurisdiction: jurisdictionOf({ jurisdiction }),
  };
};

/** A new subscription of an actor; its id is deterministic (subscriptionId). */
export const newSubscription = (
  actor: Actor,
  input: { email: string; scope: SubscriptionScope; kind?: SubscriptionKind },
  createdAt: string,
): Subscription => {
  const kind = input.kind ?? 'alerts';
  const scope: SubscriptionScope = {
    ...(input.scope.fundingLine ? { fundingLine: input.scope.fundingLine } : {}),
    ...(input.scope.commune ? { commune: input.scope.commune } : {}),
    ...(input.scope.component ? { component: input.scope.component } : {}),
  };
  return {
    id: subscriptionId(actor.sub, input.email, scope, kind),
    ...(kind === 'alerts' ? {} : { kind }),
    owner: actor.sub,
    ...ownerReachOf(actor),
    email: emailKey(input.email),
    scope,
    createdAt,
  };
};

/** A commune-scoped inspector may only watch their commune (a scope is always in the caller's jurisdiction). */
export const assertMayWatch = (actor: Actor, scope: SubscriptionScope): void =>
  assertReaches(scopeOf(actor), { ...scope, jurisdiction: jurisdictionOf(actor) }, 'watch');

/**
 * Who may subscribe to what: an inspector to alerts (of a scope they reach); an auditor of the whole
 * jurisdiction (no commune claim) to the daily ledger digest, which has no scope.
 */
export const assertMaySubscribe = (actor: Actor, kind: SubscriptionKind, scope: SubscriptionScope): void => {
  const access = scopeOf(actor);
  if (kind === 'alerts') {
    if (!hasRole(access, 'inspector'))
      throw new ForbiddenError(
        'Only inspectors subscribe to alerts; an auditor subscribes to the daily ledger digest with kind "ledger-digest".',
      );
    assertMayWatch(actor, scope);
    return;
  }
  if (!hasRole(access, 'auditor'))
    throw new ForbiddenError('Only auditors subscribe to the daily ledger digest (kind "ledger-digest").');
  if (access.reach.commune !== undefined)
    throw new ForbiddenError(
      'The daily ledger digest covers the whole jurisdiction: a commune-scoped auditor cannot subscribe to it.',
    );
  if (Object.keys(scope).length > 0)
    throw new ValidationError(
      'The daily ledger digest covers the whole jurisdiction: send an empty scope ({}) with kind "ledger-digest".',
      { field: 'body.scope' },
    );
};

/**
 * True when a subscription covers an alert's scope: every field the subscription names must match.
 * A commune subscription therefore gets its commune's alerts, not the district-wide roll-ups.
 */
export const covers = (
  subscription: Pick<Subscription, 'scope' | 'ownerCommune' | 'ownerJurisdiction' | 'kind'>,
  scope: Scope,
): boolean => {
  // A digest subscription receives the daily digest, never an alert.
  if (subscriptionKind(subscription) !== 'alerts') return false;
  const s = subscription.scope;
  const owner = { jurisdiction: subscriptionJurisdiction(subscription) };
  if (!mayReach({ reach: { ...owner, commune: subscription.ownerCommune } }, scope)) return false;
  return (
    (s.fundingLine === undefined || s.fundingLine === scope.fundingLine) &&
    (s.commune === undefined || s.commune === scope.commune) &&
    (s.component === undefined || s.component === scope.component)
  );
};
