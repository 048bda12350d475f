import { auditStoreFromEnv, ledgerStoreFromEnv } from '../../shared/adapters/from-env.ts';
import { systemEnv } from '../../shared/app/clock.ts';
import { listDigests } from '../../shared/app/ledger-audit.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { routeById } from '../../shared/http/routes.ts';

const deps = { store: ledgerStoreFromEnv(), audit: auditStoreFromEnv(), ...systemEnv };

/** GET /ledger/digests?date=YYYY-MM-DD */
export const handler = apiHandler(routeById('list-ledger-digests'), async ({ actor, query }) => ({
  statusCode: 200,
  body: { items: await listDigests(deps, actor, query.date) },
}));
