import { ledgerStoreFromEnv } from '../../shared/ledger/adapters/from-env.ts';
import { createAllocation } from '../../shared/ledger/app/allocations.ts';
import { allocationView } from '../../shared/ledger/http/views.ts';
import { systemEnv } from '../../shared/platform/clock.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { replayableAnswer } from '../../shared/platform/http/api-result.ts';
import { routeById } from '../../shared/routes.ts';

const store = ledgerStoreFromEnv();

/** POST /allocations (planner). */
export const handler = apiHandler(routeById('create-allocation'), async ({ actor, body, idempotencyKey }) =>
  replayableAnswer(
    await createAllocation({ store, ...systemEnv }, actor, body, idempotencyKey),
    allocationView,
  ),
);
