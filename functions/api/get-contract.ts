import { ledgerStoreFromEnv } from '../../shared/ledger/adapters/from-env.ts';
import { getContract } from '../../shared/ledger/app/contracts.ts';
import { CONTRACT_ROUTES } from '../../shared/ledger/http/contract-routes.ts';
import { contractView } from '../../shared/ledger/http/contract-views.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';

const store = ledgerStoreFromEnv();

/** GET /contracts/{id}. */
export const handler = apiHandler(routeIn(CONTRACT_ROUTES, 'get-contract'), async ({ actor, id }) => ({
  body: contractView(await getContract(store, actor, id ?? '')),
}));
