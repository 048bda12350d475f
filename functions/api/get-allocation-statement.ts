import { auditStoreFromEnv } from '../../shared/audit/adapters/from-env.ts';
import { allocationStatement, allocationStatementPage } from '../../shared/audit/app/ledger-audit.ts';
import { AUDIT_ROUTES } from '../../shared/audit/http/routes.ts';
import { ledgerStoreFromEnv } from '../../shared/ledger/adapters/from-env.ts';
import { systemEnv } from '../../shared/platform/clock.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';
import { pagedApiHandler } from '../../shared/platform/http/stored-data-edge.ts';

const deps = { store: ledgerStoreFromEnv(), audit: auditStoreFromEnv(), ...systemEnv };

/** GET /allocations/{id}/statement?from=&to=, or a page of it: ?limit=&cursor= */
export const handler = pagedApiHandler(
  routeIn(AUDIT_ROUTES, 'get-allocation-statement'),
  async ({ actor, id, query }) => {
    const { limit, cursor, ...period } = query;
    if (limit !== undefined || cursor !== undefined) {
      const page = await allocationStatementPage(deps, actor, id ?? '', limit ?? 100, cursor);
      return { body: page, rows: page.lines.length };
    }
    const statement = await allocationStatement(deps, actor, id ?? '', period);
    return { body: statement, rows: statement.lines.length };
  },
);
