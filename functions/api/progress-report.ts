import { monitoringRepositoryFromEnv } from '../../shared/monitoring/adapters/from-env.ts';
import { progressReport } from '../../shared/monitoring/app/progress-report.ts';
import { monitoringConfig } from '../../shared/monitoring/config/monitoring.ts';
import { MONITORING_ROUTES } from '../../shared/monitoring/http/routes.ts';
import { systemEnv } from '../../shared/platform/clock.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';
import { auditedApiHandler } from '../../shared/platform/http/stored-data-edge.ts';

const deps = { progress: monitoringRepositoryFromEnv(), config: monitoringConfig, now: systemEnv.now };

/** GET /reports/progress?fiscalYear=&asOf=&groupBy= (inspector, auditor, planner). */
export const handler = auditedApiHandler(
  routeIn(MONITORING_ROUTES, 'progress-report'),
  async ({ actor, query }) => ({
    body: await progressReport(deps, actor, query),
  }),
);
