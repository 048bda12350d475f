import { ledgerStoreFromEnv } from '../../shared/adapters/from-env.ts';
import { getRequest } from '../../shared/app/requests.ts';
import { requestView } from '../../shared/app/views.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { routeById } from '../../shared/http/routes.ts';

const store = ledgerStoreFromEnv();

/** GET /requests/{id}. */
export const handler = apiHandler(routeById('get-request'), async ({ actor, id }) => ({
  statusCode: 200,
  body: requestView(await getRequest(store, actor, id ?? '')),
}));
