import { auditStoreFromEnv } from '../../shared/audit/adapters/from-env.ts';
import {
  daySummaryStoreFromEnv,
  monitoringRepositoryFromEnv,
} from '../../shared/monitoring/adapters/from-env.ts';
import { disbursementSeriesReport } from '../../shared/monitoring/app/disbursement-series.ts';
import { monitoringConfig } from '../../shared/monitoring/config/monitoring.ts';
import { MONITORING_ROUTES } from '../../shared/monitoring/http/routes.ts';
import { systemEnv } from '../../shared/platform/clock.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';
import { auditedApiHandler } from '../../shared/platform/http/stored-data-edge.ts';

const deps = {
  progress: monitoringRepositoryFromEnv(),
  audit: auditStoreFromEnv(),
  summaries: daySummaryStoreFromEnv(),
  config: monitoringConfig,
  now: systemEnv.now,
};

/** GET /reports/disbursement-series?fiscalYear= (every role): the dashboard's cumulative line chart. */
export const handler = auditedApiHandler(
  routeIn(MONITORING_ROUTES, 'disbursement-series'),
  async ({ actor, query }) => ({
    body: await disbursementSeriesReport(deps, actor, query),
  }),
);
