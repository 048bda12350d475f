import { monitoringRepositoryFromEnv } from '../../shared/monitoring/adapters/from-env.ts';
import { acknowledgeAlert } from '../../shared/monitoring/app/alerts.ts';
import { MONITORING_ROUTES } from '../../shared/monitoring/http/routes.ts';
import { alertView } from '../../shared/monitoring/http/views.ts';
import { systemEnv } from '../../shared/platform/clock.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';

const alerts = monitoringRepositoryFromEnv();

/** POST /alerts/{id}/ack (inspector). */
export const handler = apiHandler(routeIn(MONITORING_ROUTES, 'acknowledge-alert'), async ({ actor, id }) => ({
  body: alertView(await acknowledgeAlert({ alerts, now: systemEnv.now }, actor, id ?? '')),
}));
