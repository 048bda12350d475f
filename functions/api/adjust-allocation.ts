import { ledgerStoreFromEnv } from '../../shared/ledger/adapters/from-env.ts';
import { adjustAllocation } from '../../shared/ledger/app/allocations.ts';
import { adjustmentView } from '../../shared/ledger/http/views.ts';
import { systemEnv } from '../../shared/platform/clock.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { routeById } from '../../shared/routes.ts';

const store = ledgerStoreFromEnv();

/** POST /allocations/{id}/adjustments (planner). */
export const handler = apiHandler(
  routeById('adjust-allocation'),
  async ({ actor, id, body, idempotencyKey }) => {
    const { result, replayed } = await adjustAllocation(
      { store, ...systemEnv },
      actor,
      id ?? '',
      body,
      idempotencyKey,
    );
    return { body: adjustmentView(result), replayed };
  },
);
