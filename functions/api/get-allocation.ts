import { ledgerStoreFromEnv } from '../../shared/ledger/adapters/from-env.ts';
import { getAllocation } from '../../shared/ledger/app/allocations.ts';
import { allocationView } from '../../shared/ledger/http/views.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { routeById } from '../../shared/routes.ts';

const store = ledgerStoreFromEnv();

/** GET /allocations/{id}. */
export const handler = apiHandler(routeById('get-allocation'), async ({ actor, id }) => ({
  body: allocationView(await getAllocation(store, actor, id ?? '')),
}));
