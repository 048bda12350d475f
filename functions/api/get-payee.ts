import { payeeStoreFromEnv } from '../../shared/payees/adapters/from-env.ts';
import { getPayee } from '../../shared/payees/app/payees.ts';
import { PAYEE_ROUTES } from '../../shared/payees/http/routes.ts';
import { payeeView } from '../../shared/payees/http/views.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';
import { auditedApiHandler } from '../../shared/platform/http/stored-data-edge.ts';

const payees = payeeStoreFromEnv();

/** GET /payees/{id}. */
export const handler = auditedApiHandler(routeIn(PAYEE_ROUTES, 'get-payee'), async ({ actor, id }) => ({
  body: payeeView(await getPayee(payees, actor, id ?? '')),
}));
