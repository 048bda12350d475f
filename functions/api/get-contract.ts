import { ledgerStoreFromEnv } from '../../shared/ledger/adapters/from-env.ts';
import { getContract } from '../../shared/ledger/app/contracts.ts';
import { contractView } from '../../shared/ledger/http/contract-views.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { routeById } from '../../shared/routes.ts';

const store = ledgerStoreFromEnv();

/** GET /contracts/{id}. */
export const handler = apiHandler(routeById('get-contract'), async ({ actor, id }) => ({
  body: contractView(await getContract(store, actor, id ?? '')),
}));
