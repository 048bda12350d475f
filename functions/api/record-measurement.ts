import { systemEnv } from '../../shared/platform/clock.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { routeById } from '../../shared/routes.ts';
import { targetStoreFromEnv } from '../../shared/targets/adapters/from-env.ts';
import { recordMeasurement } from '../../shared/targets/app/targets.ts';

const targets = targetStoreFromEnv();

/** POST /targets/{id}/measurements (planner): a measured value with date and source, once per Idempotency-Key. */
export const handler = apiHandler(routeById('record-measurement'), ({ actor, id, body, idempotencyKey }) =>
  recordMeasurement({ targets, ...systemEnv }, actor, id ?? '', body, idempotencyKey ?? ''),
);
