import { monitoringRepositoryFromEnv } from '../../shared/monitoring/adapters/from-env.ts';
import { acknowledgeAlert } from '../../shared/monitoring/app/alerts.ts';
import { systemEnv } from '../../shared/platform/clock.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { routeById } from '../../shared/routes.ts';

const alerts = monitoringRepositoryFromEnv();

/** POST /alerts/{id}/ack (inspector). */
export const handler = apiHandler(routeById('acknowledge-alert'), ({ actor, id }) =>
  acknowledgeAlert({ alerts, now: systemEnv.now }, actor, id ?? ''),
);
