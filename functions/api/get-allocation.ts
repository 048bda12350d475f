import { ledgerStoreFromEnv } from '../../shared/adapters/from-env.ts';
import { getAllocation } from '../../shared/app/allocations.ts';
import { allocationView } from '../../shared/app/views.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { routeById } from '../../shared/http/routes.ts';

const store = ledgerStoreFromEnv();

/** GET /allocations/{id}. */
export const handler = apiHandler(routeById('get-allocation'), async ({ actor, id }) => ({
  statusCode: 200,
  body: allocationView(await getAllocation(store, actor, id ?? '')),
}));
