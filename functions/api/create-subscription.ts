import { monitoringRepositoryFromEnv } from '../../shared/adapters/monitoring-from-env.ts';
import { systemEnv } from '../../shared/app/clock.ts';
import { createSubscription } from '../../shared/app/subscriptions.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { routeById } from '../../shared/http/routes.ts';

const subscriptions = monitoringRepositoryFromEnv();

/** POST /subscriptions (inspector; a commune-scoped one only for their commune). */
export const handler = apiHandler(routeById('create-subscription'), ({ actor, body }) =>
  createSubscription({ subscriptions, now: systemEnv.now }, actor, body),
);
