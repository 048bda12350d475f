import { ledgerStoreFromEnv } from '../../shared/ledger/adapters/from-env.ts';
import { createAllocation } from '../../shared/ledger/app/allocations.ts';
import { systemEnv } from '../../shared/platform/clock.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { routeById } from '../../shared/routes.ts';

const store = ledgerStoreFromEnv();

/** POST /allocations (planner). */
export const handler = apiHandler(routeById('create-allocation'), ({ actor, body, idempotencyKey }) =>
  createAllocation({ store, ...systemEnv }, actor, body, idempotencyKey),
);
