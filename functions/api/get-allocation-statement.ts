import { auditStoreFromEnv, ledgerStoreFromEnv } from '../../shared/adapters/from-env.ts';
import { systemEnv } from '../../shared/app/clock.ts';
import { allocationStatement } from '../../shared/app/ledger-audit.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { routeById } from '../../shared/http/routes.ts';

const deps = { store: ledgerStoreFromEnv(), audit: auditStoreFromEnv(), ...systemEnv };

/** GET /allocations/{id}/statement?from=&to= */
export const handler = apiHandler(routeById('get-allocation-statement'), async ({ actor, id, query }) => {
  const statement = await allocationStatement(deps, actor, id ?? '', query);
  return { statusCode: 200, body: statement, rows: statement.lines.length };
});
