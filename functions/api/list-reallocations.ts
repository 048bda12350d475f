import { ledgerStoreFromEnv } from '../../shared/ledger/adapters/from-env.ts';
import { listReallocations } from '../../shared/ledger/app/reallocations.ts';
import { REALLOCATION_ROUTES } from '../../shared/ledger/http/reallocation-routes.ts';
import { reallocationView } from '../../shared/ledger/http/reallocation-views.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';
import { auditedApiHandler } from '../../shared/platform/http/stored-data-edge.ts';

const store = ledgerStoreFromEnv();

/** GET /reallocations?fiscalYear= (any role; a commune-scoped user sees those touching their commune). */
export const handler = auditedApiHandler(
  routeIn(REALLOCATION_ROUTES, 'list-reallocations'),
  async ({ actor, query }) => ({
    body: { items: (await listReallocations(store, actor, query)).map(reallocationView) },
  }),
);
