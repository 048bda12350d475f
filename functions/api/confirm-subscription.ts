import {
  confirmationLinksFromEnv,
  subscriptionDepsFromEnv,
} from '../../shared/monitoring/adapters/from-env.ts';
import { confirmSubscription } from '../../shared/monitoring/app/subscriptions.ts';
import { MONITORING_ROUTES } from '../../shared/monitoring/http/routes.ts';
import { subscriptionView } from '../../shared/monitoring/http/views.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';
import { auditedApiHandler } from '../../shared/platform/http/stored-data-edge.ts';

const deps = { ...subscriptionDepsFromEnv(), links: await confirmationLinksFromEnv() };

/** GET /subscriptions/confirm?token= (public): the e-mailed link by which an address agrees to alerts. */
export const handler = auditedApiHandler(
  routeIn(MONITORING_ROUTES, 'confirm-subscription'),
  async ({ query }) => ({
    body: subscriptionView(await confirmSubscription(deps, query.token), deps.allowList),
  }),
);
