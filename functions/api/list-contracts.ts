import { ledgerStoreFromEnv } from '../../shared/ledger/adapters/from-env.ts';
import { listContracts } from '../../shared/ledger/app/contracts.ts';
import { CONTRACT_ROUTES } from '../../shared/ledger/http/contract-routes.ts';
import { contractView } from '../../shared/ledger/http/contract-views.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';
import { auditedApiHandler } from '../../shared/platform/http/stored-data-edge.ts';

const store = ledgerStoreFromEnv();

/** GET /contracts (any role; a commune-scoped user sees only that commune's contracts). */
export const handler = auditedApiHandler(
  routeIn(CONTRACT_ROUTES, 'list-contracts'),
  async ({ actor, query }) => ({
    body: { items: (await listContracts(store, actor, query)).map(contractView) },
  }),
);
