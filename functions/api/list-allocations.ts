import { ledgerStoreFromEnv } from '../../shared/ledger/adapters/from-env.ts';
import { listAllocations } from '../../shared/ledger/app/allocations.ts';
import { LEDGER_ROUTES } from '../../shared/ledger/http/routes.ts';
import { allocationView } from '../../shared/ledger/http/views.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';
import { auditedApiHandler } from '../../shared/platform/http/stored-data-edge.ts';

const store = ledgerStoreFromEnv();

/** GET /allocations (any role; a commune-scoped user sees only that commune). */
export const handler = auditedApiHandler(
  routeIn(LEDGER_ROUTES, 'list-allocations'),
  async ({ actor, query }) => {
    const list = await listAllocations(store, actor, query);
    return { body: { ...list, items: list.items.map(allocationView) } };
  },
);
