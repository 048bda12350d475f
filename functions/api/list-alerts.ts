import { monitoringRepositoryFromEnv } from '../../shared/monitoring/adapters/from-env.ts';
import { listAlerts } from '../../shared/monitoring/app/alerts.ts';
import { MONITORING_ROUTES } from '../../shared/monitoring/http/routes.ts';
import { alertView } from '../../shared/monitoring/http/views.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';
import { pagedApiHandler } from '../../shared/platform/http/stored-data-edge.ts';

const alerts = monitoringRepositoryFromEnv();

/** GET /alerts?fiscalYear=&status=&severity=&limit=&cursor=, newest first. */
export const handler = pagedApiHandler(
  routeIn(MONITORING_ROUTES, 'list-alerts'),
  async ({ actor, query }) => {
    const { limit = 50, cursor, ...filter } = query;
    const page = await listAlerts(alerts, actor, filter, limit, cursor);
    return { body: { ...page, items: page.items.map(alertView) } };
  },
);
