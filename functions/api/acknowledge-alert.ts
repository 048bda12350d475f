import { monitoringRepositoryFromEnv } from '../../shared/adapters/monitoring-from-env.ts';
import { acknowledgeAlert } from '../../shared/app/alerts.ts';
import { systemEnv } from '../../shared/app/clock.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { routeById } from '../../shared/http/routes.ts';

const alerts = monitoringRepositoryFromEnv();

/** POST /alerts/{id}/ack (inspector). */
export const handler = apiHandler(routeById('acknowledge-alert'), ({ actor, id }) =>
  acknowledgeAlert({ alerts, now: systemEnv.now }, actor, id ?? ''),
);
