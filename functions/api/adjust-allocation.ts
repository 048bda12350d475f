import { ledgerStoreFromEnv } from '../../shared/ledger/adapters/from-env.ts';
import { adjustAllocation } from '../../shared/ledger/app/allocations.ts';
import { LEDGER_ROUTES } from '../../shared/ledger/http/routes.ts';
import { adjustmentView } from '../../shared/ledger/http/views.ts';
import { systemEnv } from '../../shared/platform/clock.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { replayableAnswer } from '../../shared/platform/http/api-result.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';

const store = ledgerStoreFromEnv();

/** POST /allocations/{id}/adjustments (planner). */
export const handler = apiHandler(
  routeIn(LEDGER_ROUTES, 'adjust-allocation'),
  async ({ actor, id, body, idempotencyKey }) =>
    replayableAnswer(
      await adjustAllocation({ store, ...systemEnv }, actor, id ?? '', body, idempotencyKey),
      adjustmentView,
    ),
);
