import { auditStoreFromEnv } from '../../shared/audit/adapters/from-env.ts';
import {
  daySummaryStoreFromEnv,
  monitoringRepositoryFromEnv,
} from '../../shared/monitoring/adapters/from-env.ts';
import { disbursementSeriesReport } from '../../shared/monitoring/app/disbursement-series.ts';
import { monitoringConfig } from '../../shared/monitoring/config/monitoring.ts';
import { systemEnv } from '../../shared/platform/clock.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { routeById } from '../../shared/routes.ts';

const deps = {
  progress: monitoringRepositoryFromEnv(),
  audit: auditStoreFromEnv(),
  summaries: daySummaryStoreFromEnv(),
  config: monitoringConfig,
  now: systemEnv.now,
};

/** GET /reports/disbursement-series?fiscalYear= (every role): the dashboard's cumulative line chart. */
export const handler = apiHandler(routeById('disbursement-series'), async ({ actor, query }) => ({
  body: await disbursementSeriesReport(deps, actor, query),
}));
