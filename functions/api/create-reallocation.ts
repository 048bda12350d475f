import { ledgerStoreFromEnv } from '../../shared/ledger/adapters/from-env.ts';
import { createReallocation } from '../../shared/ledger/app/reallocations.ts';
import { REALLOCATION_ROUTES } from '../../shared/ledger/http/reallocation-routes.ts';
import { reallocationView } from '../../shared/ledger/http/reallocation-views.ts';
import { systemEnv } from '../../shared/platform/clock.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { replayableAnswer } from '../../shared/platform/http/api-result.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';

const store = ledgerStoreFromEnv();

/** POST /reallocations (planner). */
export const handler = apiHandler(
  routeIn(REALLOCATION_ROUTES, 'create-reallocation'),
  async ({ actor, body, idempotencyKey }) =>
    replayableAnswer(
      await createReallocation({ store, ...systemEnv }, actor, body, idempotencyKey),
      reallocationView,
    ),
);
