import { auditStoreFromEnv } from '../../shared/audit/adapters/from-env.ts';
import { listAuditLog } from '../../shared/audit/app/ledger-audit.ts';
import { AUDIT_ROUTES } from '../../shared/audit/http/routes.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';
import { pagedApiHandler } from '../../shared/platform/http/stored-data-edge.ts';

const audit = auditStoreFromEnv();

/** GET /audit-log: auditors' queries, newest first; a commune-scoped auditor's, about their commune only. */
export const handler = pagedApiHandler(routeIn(AUDIT_ROUTES, 'list-audit-log'), async ({ actor, query }) => ({
  body: await listAuditLog(audit, actor, query.limit ?? 100, query.cursor),
}));
