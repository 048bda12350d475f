import { payeeStoreFromEnv } from '../../shared/payees/adapters/from-env.ts';
import { getPayee } from '../../shared/payees/app/payees.ts';
import { payeeView } from '../../shared/payees/http/views.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { routeById } from '../../shared/routes.ts';

const payees = payeeStoreFromEnv();

/** GET /payees/{id}. */
export const handler = apiHandler(routeById('get-payee'), async ({ actor, id }) => ({
  body: payeeView(await getPayee(payees, actor, id ?? '')),
}));
