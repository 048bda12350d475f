import { targetStoreFromEnv } from '../../shared/adapters/from-env.ts';
import { systemEnv } from '../../shared/app/clock.ts';
import { listTargets } from '../../shared/app/targets.ts';
import { vnDateOf, yearOf } from '../../shared/domain/vn-calendar.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { routeById } from '../../shared/http/routes.ts';

const targets = targetStoreFromEnv();

/** GET /targets?fiscalYear= (every role): the year's plan indicators with target, actual and progress. */
export const handler = apiHandler(routeById('list-targets'), async ({ query }) => ({
  statusCode: 200,
  body: await listTargets({ targets }, query.fiscalYear ?? yearOf(vnDateOf(systemEnv.now()))),
}));
