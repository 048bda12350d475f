import { ledgerStoreFromEnv } from '../../shared/adapters/from-env.ts';
import { adjustAllocation } from '../../shared/app/allocations.ts';
import { systemEnv } from '../../shared/app/clock.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { routeById } from '../../shared/http/routes.ts';

const store = ledgerStoreFromEnv();

/** POST /allocations/{id}/adjustments (planner). */
export const handler = apiHandler(routeById('adjust-allocation'), ({ actor, id, body, idempotencyKey }) =>
  adjustAllocation({ store, ...systemEnv }, actor, id ?? '', body, idempotencyKey),
);
