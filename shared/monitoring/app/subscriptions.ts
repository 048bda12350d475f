import { assertCommuneOf } from '../../jurisdictions/app/commune-check.ts';
import { jurisdictionCatalog } from '../../jurisdictions/config/index.ts';
import { type Actor, jurisdictionOfScope, scopeOf } from '../../platform/access.ts';
import { ForbiddenError, InvalidConfirmationError, NotFoundError } from '../../platform/errors.ts';
import { jurisdictionOf } from '../../platform/tenancy.ts';
import { vnDateOf } from '../../platform/vn-calendar.ts';
import {
  assertMaySubscribe,
  checkConfirmation,
  claimJurisdiction,
  confirmationClaim,
  newSubscription,
  type Subscription,
  type SubscriptionKind,
  type SubscriptionScope,
  subscriptionJurisdiction,
  subscriptionStatus,
} from '../domain/subscription.ts';
import { renderConfirmationEmail } from '../presentation/subscription-email.ts';
import type { EmailContextOf } from './email-context.ts';
import type { ConfirmationLinks, Mailer, SubscriptionStore } from './ports.ts';

export interface SubscriptionDeps {
  subscriptions: SubscriptionStore;
  now: () => Date;
  /** E-mail domains the deployment trusts: their addresses need no confirmation. */
  allowList: readonly string[];
}

/** What creating a subscription needs to ask an outside address for its consent. */
export interface ConfirmationDeps {
  links: ConfirmationLinks;
  mailer: Mailer;
  /** The From address. */
  sender: string;
  /** How the e-mail names places: those of the caller's jurisdiction. */
  contextOf: EmailContextOf;
  /** The API's public origin (`https://api.example.vn`): the link leads to its confirm route. */
  origin: string;
}

/** The link an address opens to confirm a subscription. */
export const confirmationLink = (origin: string, token: string): string =>
  `${origin}/subscriptions/confirm?token=${encodeURIComponent(token)}`;

/**
 * An inspector subscribes an address to the alerts of a scope. An address outside the deployment's
 * allow-listed domains is sent a signed confirmation link and gets no alert until it follows it.
 * Subscribing again to the same scope with the same address changes nothing (200, no new e-mail).
 */
export const createSubscription = async (
  deps: SubscriptionDeps & { confirmation: ConfirmationDeps },
  actor: Actor,
  input: { email: string; scope: SubscriptionScope; kind?: SubscriptionKind },
): Promise<{ subscription: Subscription; created: boolean }> => {
  assertMaySubscribe(actor, input.kind ?? 'alerts', input.scope);
  // A subscription is for every year: any commune the jurisdiction has had may be watched.
  assertCommuneOf(jurisdictionCatalog, jurisdictionOf(actor), input.scope.commune, {
    field: 'body.scope.commune',
  });
  const now = deps.now();
  const subscription = newSubscription(actor, input, now.toISOString());
  if (!(await deps.subscriptions.putSubscription(subscription))) {
    const existing = await deps.subscriptions.getSubscription(
      subscriptionJurisdiction(subscription),
      subscription.id,
    );
    return { subscription: existing ?? subscription, created: false };
  }
  if (subscriptionStatus(subscription, deps.allowList) === 'pending') {
    const c = deps.confirmation;
    const claim = confirmationClaim(subscription, now);
    const link = confirmationLink(c.origin, c.links.seal(claim));
    await c.mailer.send({
      ...renderConfirmationEmail(subscription, claim, link, c.contextOf(actor.jurisdiction, vnDateOf(now))),
      from: c.sender,
      to: subscription.email,
      messageId: `${subscription.id}.${now.getTime()}@giai-ngan.confirm`,
      date: now,
      subscriptionId: subscription.id,
    });
  }
  return { subscription, created: true };
};

/**
 * The public end of a confirmation link: a genuine, unexpired link of a subscription that still
 * exists confirms it (again: the first confirmation is kept). The subscription is read in the
 * jurisdiction the signed link names (an older link names none: the upgrade default's).
 */
export const confirmSubscription = async (
  deps: SubscriptionDeps & { links: ConfirmationLinks },
  token: string,
): Promise<Subscription> => {
  const claim = deps.links.open(token);
  const jurisdiction = claimJurisdiction(claim);
  const now = deps.now();
  const current = await deps.subscriptions.getSubscription(jurisdiction, claim.subscriptionId);
  const verdict = checkConfirmation(claim, current, now);
  if (verdict === 'expired') {
    throw new InvalidConfirmationError(
      'This confirmation link has expired; ask the inspector to subscribe the address again for a new one.',
      { reason: 'expired' },
    );
  }
  const confirmed =
    verdict === 'ok'
      ? await deps.subscriptions.confirmSubscription(jurisdiction, claim.subscriptionId, now.toISOString())
      : undefined;
  if (!confirmed) {
    throw new NotFoundError(
      'The subscription this link confirms no longer exists (it was deleted or replaced); nothing will be sent.',
    );
  }
  return confirmed;
};

/** The jurisdiction whose subscriptions the caller reads and owns: their own (a subscription's `ownerJurisdiction`). */
const jurisdictionOfActor = (actor: Actor): string => jurisdictionOfScope(scopeOf(actor));

/** The caller's own subscriptions. */
export const listOwnSubscriptions = async (deps: SubscriptionDeps, actor: Actor) => ({
  items: await deps.subscriptions.listSubscriptions(jurisdictionOfActor(actor), actor.sub),
});

/** Deletes one of the caller's subscriptions (one of another jurisdiction is not found). */
export const deleteSubscription = async (
  deps: SubscriptionDeps,
  actor: Actor,
  id: string,
): Promise<Subscription> => {
  const store = deps.subscriptions;
  const jurisdiction = jurisdictionOfActor(actor);
  const found = await store.getSubscription(jurisdiction, id);
  if (!found) throw new NotFoundError(`No subscription with id ${id}.`);
  if (found.owner !== actor.sub) throw new ForbiddenError('You may only delete your own subscriptions.');
  if (!(await store.deleteSubscription(jurisdiction, id, actor.sub, deps.now().toISOString()))) {
    throw new NotFoundError(`No subscription with id ${id}.`);
  }
  return found;
};
