import { ledgerStoreFromEnv } from '../../shared/ledger/adapters/from-env.ts';
import { getAllocation } from '../../shared/ledger/app/allocations.ts';
import { LEDGER_ROUTES } from '../../shared/ledger/http/routes.ts';
import { allocationView } from '../../shared/ledger/http/views.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';
import { auditedApiHandler } from '../../shared/platform/http/stored-data-edge.ts';

const store = ledgerStoreFromEnv();

/** GET /allocations/{id}. */
export const handler = auditedApiHandler(routeIn(LEDGER_ROUTES, 'get-allocation'), async ({ actor, id }) => ({
  body: allocationView(await getAllocation(store, actor, id ?? '')),
}));
