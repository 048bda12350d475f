import { systemEnv } from '../../shared/platform/clock.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';
import { targetStoreFromEnv } from '../../shared/targets/adapters/from-env.ts';
import { defineIndicator } from '../../shared/targets/app/targets.ts';
import { TARGET_ROUTES } from '../../shared/targets/http/routes.ts';

const targets = targetStoreFromEnv();

/** PUT /targets/{id} (planner): create or replace an indicator's definition. */
export const handler = apiHandler(routeIn(TARGET_ROUTES, 'define-indicator'), async ({ actor, id, body }) => {
  const { indicator, created } = await defineIndicator({ targets, ...systemEnv }, actor, id ?? '', body);
  return { statusCode: created ? 201 : 200, body: indicator };
});
