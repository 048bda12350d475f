import { ledgerStoreFromEnv } from '../../shared/ledger/adapters/from-env.ts';
import { listAllocations } from '../../shared/ledger/app/allocations.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { routeById } from '../../shared/routes.ts';

const store = ledgerStoreFromEnv();

/** GET /allocations (any role; a commune-scoped user sees only that commune). */
export const handler = apiHandler(routeById('list-allocations'), async ({ actor, query }) => ({
  statusCode: 200,
  body: await listAllocations(store, actor, query),
}));
