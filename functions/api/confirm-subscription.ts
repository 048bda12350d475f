import {
  confirmationLinksFromEnv,
  subscriptionDepsFromEnv,
} from '../../shared/monitoring/adapters/from-env.ts';
import { confirmSubscription } from '../../shared/monitoring/app/subscriptions.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { routeById } from '../../shared/routes.ts';

const deps = { ...subscriptionDepsFromEnv(), links: await confirmationLinksFromEnv() };

/** GET /subscriptions/confirm?token= (public): the e-mailed link by which an address agrees to alerts. */
export const handler = apiHandler(routeById('confirm-subscription'), ({ query }) =>
  confirmSubscription(deps, query.token),
);
