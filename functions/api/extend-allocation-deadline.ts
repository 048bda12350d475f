import { ledgerStoreFromEnv } from '../../shared/ledger/adapters/from-env.ts';
import { extendDeadline } from '../../shared/ledger/app/allocations.ts';
import { LEDGER_ROUTES } from '../../shared/ledger/http/routes.ts';
import { extensionView } from '../../shared/ledger/http/views.ts';
import { systemEnv } from '../../shared/platform/clock.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { replayableAnswer } from '../../shared/platform/http/api-result.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';

const store = ledgerStoreFromEnv();

/** POST /allocations/{id}/extension (planner). */
export const handler = apiHandler(
  routeIn(LEDGER_ROUTES, 'extend-allocation-deadline'),
  async ({ actor, id, body, idempotencyKey }) =>
    replayableAnswer(
      await extendDeadline({ store, ...systemEnv }, actor, id ?? '', body, idempotencyKey),
      extensionView,
    ),
);
