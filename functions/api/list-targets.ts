import { systemEnv } from '../../shared/platform/clock.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';
import { auditedApiHandler } from '../../shared/platform/http/stored-data-edge.ts';
import { vnDateOf, yearOf } from '../../shared/platform/vn-calendar.ts';
import { targetStoreFromEnv } from '../../shared/targets/adapters/from-env.ts';
import { listTargets } from '../../shared/targets/app/targets.ts';
import { TARGET_ROUTES } from '../../shared/targets/http/routes.ts';

const targets = targetStoreFromEnv();

/** GET /targets?fiscalYear= (every role): the year's plan indicators with target, actual and progress. */
export const handler = auditedApiHandler(
  routeIn(TARGET_ROUTES, 'list-targets'),
  async ({ actor, query }) => ({
    body: await listTargets({ targets }, actor, query.fiscalYear ?? yearOf(vnDateOf(systemEnv.now()))),
  }),
);
