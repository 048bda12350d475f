import { ledgerStoreFromEnv } from '../../shared/ledger/adapters/from-env.ts';
import { getContract } from '../../shared/ledger/app/contracts.ts';
import { CONTRACT_ROUTES } from '../../shared/ledger/http/contract-routes.ts';
import { contractView } from '../../shared/ledger/http/contract-views.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';
import { auditedApiHandler } from '../../shared/platform/http/stored-data-edge.ts';

const store = ledgerStoreFromEnv();

/** GET /contracts/{id}. */
export const handler = auditedApiHandler(routeIn(CONTRACT_ROUTES, 'get-contract'), async ({ actor, id }) => ({
  body: contractView(await getContract(store, actor, id ?? '')),
}));
