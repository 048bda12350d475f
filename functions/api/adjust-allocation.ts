import { ledgerStoreFromEnv } from '../../shared/ledger/adapters/from-env.ts';
import { adjustAllocation } from '../../shared/ledger/app/allocations.ts';
import { systemEnv } from '../../shared/platform/clock.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { routeById } from '../../shared/routes.ts';

const store = ledgerStoreFromEnv();

/** POST /allocations/{id}/adjustments (planner). */
export const handler = apiHandler(routeById('adjust-allocation'), ({ actor, id, body, idempotencyKey }) =>
  adjustAllocation({ store, ...systemEnv }, actor, id ?? '', body, idempotencyKey),
);
