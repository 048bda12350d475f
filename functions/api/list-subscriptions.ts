import { subscriptionDepsFromEnv } from '../../shared/monitoring/adapters/from-env.ts';
import { listOwnSubscriptions } from '../../shared/monitoring/app/subscriptions.ts';
import { MONITORING_ROUTES } from '../../shared/monitoring/http/routes.ts';
import { subscriptionView } from '../../shared/monitoring/http/views.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';
import { auditedApiHandler } from '../../shared/platform/http/stored-data-edge.ts';

const deps = subscriptionDepsFromEnv();

/** GET /subscriptions (inspector): the caller's own, each with whether alerts may go to it. */
export const handler = auditedApiHandler(
  routeIn(MONITORING_ROUTES, 'list-subscriptions'),
  async ({ actor }) => {
    const { items } = await listOwnSubscriptions(deps, actor);
    return { body: { items: items.map((s) => subscriptionView(s, deps.allowList)) } };
  },
);
