import { subscriptionDepsFromEnv } from '../../shared/monitoring/adapters/from-env.ts';
import { deleteSubscription } from '../../shared/monitoring/app/subscriptions.ts';
import { MONITORING_ROUTES } from '../../shared/monitoring/http/routes.ts';
import { subscriptionView } from '../../shared/monitoring/http/views.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';

const deps = subscriptionDepsFromEnv();

/** DELETE /subscriptions/{id} (inspector): only their own. */
export const handler = apiHandler(
  routeIn(MONITORING_ROUTES, 'delete-subscription'),
  async ({ actor, id }) => ({
    body: subscriptionView(await deleteSubscription(deps, actor, id ?? ''), deps.allowList),
  }),
);
