import { subscriptionDepsFromEnv } from '../../shared/monitoring/adapters/from-env.ts';
import { listOwnSubscriptions } from '../../shared/monitoring/app/subscriptions.ts';
import { subscriptionView } from '../../shared/monitoring/http/views.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { routeById } from '../../shared/routes.ts';

const deps = subscriptionDepsFromEnv();

/** GET /subscriptions (inspector): the caller's own, each with whether alerts may go to it. */
export const handler = apiHandler(routeById('list-subscriptions'), async ({ actor }) => {
  const { items } = await listOwnSubscriptions(deps, actor);
  return { body: { items: items.map((s) => subscriptionView(s, deps.allowList)) } };
});
