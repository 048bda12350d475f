import { auditStoreFromEnv, ledgerStoreFromEnv } from '../../shared/adapters/from-env.ts';
import { systemEnv } from '../../shared/app/clock.ts';
import { verifyLedger } from '../../shared/app/ledger-audit.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { routeById } from '../../shared/http/routes.ts';

const deps = { store: ledgerStoreFromEnv(), audit: auditStoreFromEnv(), ...systemEnv };

/** GET /ledger/verify?allocationId= or ?fiscalYear= */
export const handler = apiHandler(routeById('verify-ledger'), async ({ actor, query }) => {
  const target = query.allocationId
    ? { allocationId: query.allocationId }
    : { fiscalYear: query.fiscalYear ?? 0 };
  const report = await verifyLedger(deps, actor, target);
  return { statusCode: 200, body: report, rows: report.checked };
});
