import { ledgerStoreFromEnv } from '../../shared/ledger/adapters/from-env.ts';
import { getReallocation } from '../../shared/ledger/app/reallocations.ts';
import { reallocationView } from '../../shared/ledger/http/reallocation-views.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { routeById } from '../../shared/routes.ts';

const store = ledgerStoreFromEnv();

/** GET /reallocations/{id}. */
export const handler = apiHandler(routeById('get-reallocation'), async ({ actor, id }) => ({
  body: reallocationView(await getReallocation(store, actor, id ?? '')),
}));
