import { subscriptionDepsFromEnv } from '../../shared/monitoring/adapters/from-env.ts';
import { deleteSubscription } from '../../shared/monitoring/app/subscriptions.ts';
import { subscriptionView } from '../../shared/monitoring/http/views.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { routeById } from '../../shared/routes.ts';

const deps = subscriptionDepsFromEnv();

/** DELETE /subscriptions/{id} (inspector): only their own. */
export const handler = apiHandler(routeById('delete-subscription'), async ({ actor, id }) => ({
  body: subscriptionView(await deleteSubscription(deps, actor, id ?? ''), deps.allowList),
}));
