import { digestAnchorStoreFromEnv } from '../../shared/audit/adapters/anchors-from-env.ts';
import { auditStoreFromEnv } from '../../shared/audit/adapters/from-env.ts';
import { verifyLedger } from '../../shared/audit/app/ledger-audit.ts';
import { AUDIT_ROUTES } from '../../shared/audit/http/routes.ts';
import { ledgerStoreFromEnv } from '../../shared/ledger/adapters/from-env.ts';
import { systemEnv } from '../../shared/platform/clock.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';
import { auditedApiHandler } from '../../shared/platform/http/stored-data-edge.ts';

const deps = {
  store: ledgerStoreFromEnv(),
  audit: auditStoreFromEnv(),
  anchors: digestAnchorStoreFromEnv(),
  ...systemEnv,
};

/** GET /ledger/verify?allocationId= or ?fiscalYear= */
export const handler = auditedApiHandler(routeIn(AUDIT_ROUTES, 'verify-ledger'), async ({ actor, query }) => {
  const target = query.allocationId
    ? { allocationId: query.allocationId }
    : { fiscalYear: query.fiscalYear ?? 0 };
  const report = await verifyLedger(deps, actor, target);
  return { statusCode: 200, body: report, rows: report.checked };
});
