import { monitoringRepositoryFromEnv } from '../../shared/adapters/monitoring-from-env.ts';
import { systemEnv } from '../../shared/app/clock.ts';
import { progressReport } from '../../shared/app/progress-report.ts';
import { monitoringConfig } from '../../shared/config/monitoring.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { routeById } from '../../shared/http/routes.ts';

const deps = { progress: monitoringRepositoryFromEnv(), config: monitoringConfig, now: systemEnv.now };

/** GET /reports/progress?fiscalYear=&asOf=&groupBy= (inspector, auditor, planner). */
export const handler = apiHandler(routeById('progress-report'), async ({ actor, query }) => ({
  statusCode: 200,
  body: await progressReport(deps, actor, query),
}));
