import { ledgerStoreFromEnv } from '../../shared/ledger/adapters/from-env.ts';
import { getRequest } from '../../shared/ledger/app/requests.ts';
import { requestView } from '../../shared/ledger/http/views.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { routeById } from '../../shared/routes.ts';

const store = ledgerStoreFromEnv();

/** GET /requests/{id}. */
export const handler = apiHandler(routeById('get-request'), async ({ actor, id }) => ({
  body: requestView(await getRequest(store, actor, id ?? '')),
}));
