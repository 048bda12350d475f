import { systemEnv } from '../../shared/platform/clock.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { replayableAnswer } from '../../shared/platform/http/api-result.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';
import { targetStoreFromEnv } from '../../shared/targets/adapters/from-env.ts';
import { recordMeasurement } from '../../shared/targets/app/targets.ts';
import { TARGET_ROUTES } from '../../shared/targets/http/routes.ts';

const targets = targetStoreFromEnv();

/** POST /targets/{id}/measurements (planner): a measured value with date and source, once per Idempotency-Key. */
export const handler = apiHandler(
  routeIn(TARGET_ROUTES, 'record-measurement'),
  async ({ actor, id, body, idempotencyKey }) =>
    replayableAnswer(
      await recordMeasurement({ targets, ...systemEnv }, actor, id ?? '', body, idempotencyKey ?? ''),
    ),
);
