import { auditStoreFromEnv } from '../../shared/audit/adapters/from-env.ts';
import { listDigests } from '../../shared/audit/app/ledger-audit.ts';
import { AUDIT_ROUTES } from '../../shared/audit/http/routes.ts';
import { ledgerStoreFromEnv } from '../../shared/ledger/adapters/from-env.ts';
import { systemEnv } from '../../shared/platform/clock.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';
import { auditedApiHandler } from '../../shared/platform/http/stored-data-edge.ts';

const deps = { store: ledgerStoreFromEnv(), audit: auditStoreFromEnv(), ...systemEnv };

/** GET /ledger/digests?date=YYYY-MM-DD */
export const handler = auditedApiHandler(
  routeIn(AUDIT_ROUTES, 'list-ledger-digests'),
  async ({ actor, query }) => ({
    body: { items: await listDigests(deps, actor, query.date) },
  }),
);
