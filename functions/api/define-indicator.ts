import { targetStoreFromEnv } from '../../shared/adapters/from-env.ts';
import { systemEnv } from '../../shared/app/clock.ts';
import { defineIndicator } from '../../shared/app/targets.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { routeById } from '../../shared/http/routes.ts';

const targets = targetStoreFromEnv();

/** PUT /targets/{id} (planner): create or replace an indicator's definition. */
export const handler = apiHandler(routeById('define-indicator'), ({ actor, id, body }) =>
  defineIndicator({ targets, ...systemEnv }, actor, id ?? '', body),
);
