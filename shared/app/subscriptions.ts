import type { Actor } from '../domain/disbursement-request.ts';
import { ForbiddenError, NotFoundError } from '../domain/errors.ts';
import { emailKey } from '../domain/person.ts';
import {
  assertMayWatch,
  type Subscription,
  type SubscriptionScope,
  subscriptionId,
} from '../domain/subscription.ts';
import type { SubscriptionStore } from './monitoring-ports.ts';
import type { ApiResult } from './ports.ts';

export interface SubscriptionDeps {
  subscriptions: SubscriptionStore;
  now: () => Date;
}

/** A subscription as the API shows it, in reading order. */
export const subscriptionView = (s: Subscription) => ({
  id: s.id,
  email: s.email,
  scope: {
    ...(s.scope.fundingLine ? { fundingLine: s.scope.fundingLine } : {}),
    ...(s.scope.commune ? { commune: s.scope.commune } : {}),
    ...(s.scope.component ? { component: s.scope.component } : {}),
  },
  owner: s.owner,
  createdAt: s.createdAt,
});

/**
 * An inspector subscribes an address to the alerts of a scope. Subscribing again to the same scope
 * with the same address changes nothing and answers 200 with the existing subscription.
 */
export const createSubscription = async (
  deps: SubscriptionDeps,
  actor: Actor,
  input: { email: string; scope: SubscriptionScope },
): Promise<ApiResult> => {
  assertMayWatch(actor, input.scope);
  const scope: SubscriptionScope = {
    ...(input.scope.fundingLine ? { fundingLine: input.scope.fundingLine } : {}),
    ...(input.scope.commune ? { commune: input.scope.commune } : {}),
    ...(input.scope.component ? { component: input.scope.component } : {}),
  };
  const subscription: Subscription = {
    id: subscriptionId(actor.sub, input.email, scope),
    owner: actor.sub,
    ...(actor.commune !== undefined ? { ownerCommune: actor.commune } : {}),
    email: emailKey(input.email),
    scope,
    createdAt: deps.now().toISOString(),
  };
  if (await deps.subscriptions.putSubscription(subscription)) {
    return { statusCode: 201, body: subscriptionView(subscription) };
  }
  const existing = await deps.subscriptions.getSubscription(subscription.id);
  return { statusCode: 200, body: subscriptionView(existing ?? subscription) };
};

/** The caller's own subscriptions. */
export const listOwnSubscriptions = async (store: SubscriptionStore, actor: Actor) => ({
  items: (await store.listSubscriptions(actor.sub)).map(subscriptionView),
});

/** Deletes one of the caller's subscriptions. */
export const deleteSubscription = async (
  deps: SubscriptionDeps,
  actor: Actor,
  id: string,
): Promise<ApiResult> => {
  const store = deps.subscriptions;
  const found = await store.getSubscription(id);
  if (!found) throw new NotFoundError(`No subscription with id ${id}.`);
  if (found.owner !== actor.sub) throw new ForbiddenError('You may only delete your own subscriptions.');
  if (!(await store.deleteSubscription(id, actor.sub, deps.now().toISOString()))) {
    throw new NotFoundError(`No subscription with id ${id}.`);
  }
  return { statusCode: 200, body: subscriptionView(found) };
};
