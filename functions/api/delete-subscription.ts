import { subscriptionDepsFromEnv } from '../../shared/adapters/monitoring-from-env.ts';
import { deleteSubscription } from '../../shared/app/subscriptions.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { routeById } from '../../shared/http/routes.ts';

const deps = subscriptionDepsFromEnv();

/** DELETE /subscriptions/{id} (inspector): only their own. */
export const handler = apiHandler(routeById('delete-subscription'), ({ actor, id }) =>
  deleteSubscription(deps, actor, id ?? ''),
);
