import { auditStoreFromEnv } from '../../shared/audit/adapters/from-env.ts';
import { allocationStatement } from '../../shared/audit/app/ledger-audit.ts';
import { AUDIT_ROUTES } from '../../shared/audit/http/routes.ts';
import { ledgerStoreFromEnv } from '../../shared/ledger/adapters/from-env.ts';
import { systemEnv } from '../../shared/platform/clock.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';
import { auditedApiHandler } from '../../shared/platform/http/stored-data-edge.ts';

const deps = { store: ledgerStoreFromEnv(), audit: auditStoreFromEnv(), ...systemEnv };

/** GET /allocations/{id}/statement?from=&to= */
export const handler = auditedApiHandler(
  routeIn(AUDIT_ROUTES, 'get-allocation-statement'),
  async ({ actor, id, query }) => {
    const statement = await allocationStatement(deps, actor, id ?? '', query);
    return { body: statement, rows: statement.lines.length };
  },
);
