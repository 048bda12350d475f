import { monitorDepsFromEnv } from '../../shared/monitoring/adapters/from-env.ts';
import { startMonitorRun } from '../../shared/monitoring/app/run-monitor.ts';
import { MONITORING_ROUTES } from '../../shared/monitoring/http/routes.ts';
import { monitorRunView } from '../../shared/monitoring/http/views.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';

const deps = monitorDepsFromEnv();

/**
 * POST /monitor/runs (planner; a commune-scoped one for their commune only): one monitoring pass now;
 * 202 as the e-mails follow from the alerts queue.
 */
export const handler = apiHandler(
  routeIn(MONITORING_ROUTES, 'start-monitor-run'),
  async ({ actor, body }) => ({
    body: monitorRunView(await startMonitorRun(deps, actor, body)),
  }),
);
