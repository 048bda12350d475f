import { auditStoreFromEnv } from '../../shared/adapters/from-env.ts';
import { monitoringRepositoryFromEnv } from '../../shared/adapters/monitoring-from-env.ts';
import { systemEnv } from '../../shared/app/clock.ts';
import { disbursementSeriesReport } from '../../shared/app/disbursement-series.ts';
import { monitoringConfig } from '../../shared/config/monitoring.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { routeById } from '../../shared/http/routes.ts';

const deps = {
  progress: monitoringRepositoryFromEnv(),
  audit: auditStoreFromEnv(),
  config: monitoringConfig,
  now: systemEnv.now,
};

/** GET /reports/disbursement-series?fiscalYear= (every role): the dashboard's cumulative line chart. */
export const handler = apiHandler(routeById('disbursement-series'), async ({ actor, query }) => ({
  statusCode: 200,
  body: await disbursementSeriesReport(deps, actor, query),
}));
