import {
  confirmationLinksFromEnv,
  emailContextFromConfig,
  mailerFromEnv,
  subscriptionDepsFromEnv,
} from '../../shared/monitoring/adapters/from-env.ts';
import { createSubscription } from '../../shared/monitoring/app/subscriptions.ts';
import { MONITORING_ROUTES } from '../../shared/monitoring/http/routes.ts';
import { subscriptionView } from '../../shared/monitoring/http/views.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { publicOrigin } from '../../shared/platform/http/public-origin.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';

const deps = subscriptionDepsFromEnv();
const { mailer, sender } = mailerFromEnv();
const links = await confirmationLinksFromEnv();
const contextOf = emailContextFromConfig();

/**
 * POST /subscriptions (inspector; a commune-scoped one only for their commune). An address outside
 * the allow-listed domains is e-mailed a signed link to GET /subscriptions/confirm at this API.
 */
export const handler = apiHandler(
  routeIn(MONITORING_ROUTES, 'create-subscription'),
  async ({ actor, body, headers }) => {
    const { subscription, created } = await createSubscription(
      { ...deps, confirmation: { links, mailer, sender, contextOf, origin: publicOrigin(headers) } },
      actor,
      body,
    );
    // 200 when the same address already watched the same scope: nothing new, no e-mail.
    return { statusCode: created ? 201 : 200, body: subscriptionView(subscription, deps.allowList) };
  },
);
