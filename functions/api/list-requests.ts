import { ledgerStoreFromEnv } from '../../shared/ledger/adapters/from-env.ts';
import { listRequests } from '../../shared/ledger/app/requests.ts';
import { LEDGER_ROUTES } from '../../shared/ledger/http/routes.ts';
import { requestView } from '../../shared/ledger/http/views.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';
import { pagedApiHandler } from '../../shared/platform/http/stored-data-edge.ts';

const store = ledgerStoreFromEnv();

/** GET /requests?status=&allocationId=&limit=&cursor=, newest first. */
export const handler = pagedApiHandler(routeIn(LEDGER_ROUTES, 'list-requests'), async ({ actor, query }) => {
  const { limit = 50, cursor, ...filter } = query;
  const page = await listRequests(store, actor, filter, limit, cursor);
  return { body: { ...page, items: page.items.map(requestView) } };
});
