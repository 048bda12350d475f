import { ledgerStoreFromEnv } from '../../shared/ledger/adapters/from-env.ts';
import { getRequest } from '../../shared/ledger/app/requests.ts';
import { LEDGER_ROUTES } from '../../shared/ledger/http/routes.ts';
import { requestView } from '../../shared/ledger/http/views.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';
import { auditedApiHandler } from '../../shared/platform/http/stored-data-edge.ts';

const store = ledgerStoreFromEnv();

/** GET /requests/{id}. */
export const handler = auditedApiHandler(routeIn(LEDGER_ROUTES, 'get-request'), async ({ actor, id }) => ({
  body: requestView(await getRequest(store, actor, id ?? '')),
}));
