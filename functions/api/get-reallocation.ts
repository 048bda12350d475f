import { ledgerStoreFromEnv } from '../../shared/ledger/adapters/from-env.ts';
import { getReallocation } from '../../shared/ledger/app/reallocations.ts';
import { REALLOCATION_ROUTES } from '../../shared/ledger/http/reallocation-routes.ts';
import { reallocationView } from '../../shared/ledger/http/reallocation-views.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';
import { auditedApiHandler } from '../../shared/platform/http/stored-data-edge.ts';

const store = ledgerStoreFromEnv();

/** GET /reallocations/{id}. */
export const handler = auditedApiHandler(
  routeIn(REALLOCATION_ROUTES, 'get-reallocation'),
  async ({ actor, id }) => ({
    body: reallocationView(await getReallocation(store, actor, id ?? '')),
  }),
);
