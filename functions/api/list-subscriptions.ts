import { subscriptionDepsFromEnv } from '../../shared/monitoring/adapters/from-env.ts';
import { listOwnSubscriptions } from '../../shared/monitoring/app/subscriptions.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { routeById } from '../../shared/routes.ts';

const deps = subscriptionDepsFromEnv();

/** GET /subscriptions (inspector): the caller's own, each with whether alerts may go to it. */
export const handler = apiHandler(routeById('list-subscriptions'), async ({ actor }) => ({
  statusCode: 200,
  body: await listOwnSubscriptions(deps, actor),
}));
