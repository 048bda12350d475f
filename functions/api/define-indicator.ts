import { systemEnv } from '../../shared/platform/clock.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { routeById } from '../../shared/routes.ts';
import { targetStoreFromEnv } from '../../shared/targets/adapters/from-env.ts';
import { defineIndicator } from '../../shared/targets/app/targets.ts';

const targets = targetStoreFromEnv();

/** PUT /targets/{id} (planner): create or replace an indicator's definition. */
export const handler = apiHandler(routeById('define-indicator'), async ({ actor, id, body }) => {
  const { indicator, created } = await defineIndicator({ targets, ...systemEnv }, actor, id ?? '', body);
  return { statusCode: created ? 201 : 200, body: indicator };
});
