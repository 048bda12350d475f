import {
  confirmationLinksFromEnv,
  subscriptionDepsFromEnv,
} from '../../shared/monitoring/adapters/from-env.ts';
import { confirmSubscription } from '../../shared/monitoring/app/subscriptions.ts';
import { subscriptionView } from '../../shared/monitoring/http/views.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { routeById } from '../../shared/routes.ts';

const deps = { ...subscriptionDepsFromEnv(), links: await confirmationLinksFromEnv() };

/** GET /subscriptions/confirm?token= (public): the e-mailed link by which an address agrees to alerts. */
export const handler = apiHandler(routeById('confirm-subscription'), async ({ query }) => ({
  body: subscriptionView(await confirmSubscription(deps, query.token), deps.allowList),
}));
