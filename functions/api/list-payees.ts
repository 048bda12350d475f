import { payeeStoreFromEnv } from '../../shared/payees/adapters/from-env.ts';
import { searchPayees } from '../../shared/payees/app/payees.ts';
import { PAYEE_ROUTES } from '../../shared/payees/http/routes.ts';
import { payeeView } from '../../shared/payees/http/views.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';
import { pagedApiHandler } from '../../shared/platform/http/stored-data-edge.ts';

const payees = payeeStoreFromEnv();

/** GET /payees?q=&limit=&cursor=: the register by name, or the payee of a tax code or citizen ID. */
export const handler = pagedApiHandler(routeIn(PAYEE_ROUTES, 'list-payees'), async ({ actor, query }) => {
  const { q, limit = 50, cursor } = query;
  const page = await searchPayees(payees, actor, q, limit, cursor);
  return { body: { ...page, items: page.items.map(payeeView) } };
});
