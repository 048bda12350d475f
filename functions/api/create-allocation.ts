import { ledgerStoreFromEnv } from '../../shared/adapters/from-env.ts';
import { createAllocation } from '../../shared/app/allocations.ts';
import { systemEnv } from '../../shared/app/clock.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { routeById } from '../../shared/http/routes.ts';

const store = ledgerStoreFromEnv();

/** POST /allocations (planner). */
export const handler = apiHandler(routeById('create-allocation'), ({ actor, body, idempotencyKey }) =>
  createAllocation({ store, ...systemEnv }, actor, body, idempotencyKey),
);
