import { subscriptionDepsFromEnv } from '../../shared/adapters/monitoring-from-env.ts';
import { listOwnSubscriptions } from '../../shared/app/subscriptions.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { routeById } from '../../shared/http/routes.ts';

const deps = subscriptionDepsFromEnv();

/** GET /subscriptions (inspector): the caller's own, each with whether alerts may go to it. */
export const handler = apiHandler(routeById('list-subscriptions'), async ({ actor }) => ({
  statusCode: 200,
  body: await listOwnSubscriptions(deps, actor),
}));
