import { auditStoreFromEnv } from '../../shared/audit/adapters/from-env.ts';
import { requestHistoryFromEnv } from '../../shared/forecast/adapters/request-history.ts';
import { forecastReport } from '../../shared/forecast/app/forecast-report.ts';
import { FORECAST_ROUTES } from '../../shared/forecast/http/routes.ts';
import {
  daySnapshotStoreFromEnv,
  monitoringRepositoryFromEnv,
} from '../../shared/monitoring/adapters/from-env.ts';
import { monitoringConfig } from '../../shared/monitoring/config/monitoring.ts';
import { systemEnv } from '../../shared/platform/clock.ts';
import { deadlineRules } from '../../shared/platform/config/fiscal-year/index.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';
import { auditedApiHandler } from '../../shared/platform/http/stored-data-edge.ts';

const deps = {
  progress: monitoringRepositoryFromEnv(),
  audit: auditStoreFromEnv(),
  requests: requestHistoryFromEnv(),
  snapshots: daySnapshotStoreFromEnv(),
  config: monitoringConfig,
  deadlines: deadlineRules,
  now: systemEnv.now,
};

/** GET /forecasts?fiscalYear=&asOf=&groupBy= (inspector, auditor, planner). */
export const handler = auditedApiHandler(
  routeIn(FORECAST_ROUTES, 'list-forecasts'),
  async ({ actor, query }) => ({
    body: await forecastReport(deps, actor, query),
  }),
);
