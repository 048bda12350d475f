import { targetStoreFromEnv } from '../../shared/adapters/from-env.ts';
import { systemEnv } from '../../shared/app/clock.ts';
import { recordMeasurement } from '../../shared/app/targets.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { routeById } from '../../shared/http/routes.ts';

const targets = targetStoreFromEnv();

/** POST /targets/{id}/measurements (planner): a measured value with date and source, once per Idempotency-Key. */
export const handler = apiHandler(routeById('record-measurement'), ({ actor, id, body, idempotencyKey }) =>
  recordMeasurement({ targets, ...systemEnv }, actor, id ?? '', body, idempotencyKey ?? ''),
);
