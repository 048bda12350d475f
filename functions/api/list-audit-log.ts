import { auditStoreFromEnv } from '../../shared/adapters/from-env.ts';
import { listAuditLog } from '../../shared/app/ledger-audit.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { routeById } from '../../shared/http/routes.ts';

const audit = auditStoreFromEnv();

/** GET /audit-log: auditors' queries, newest first; a commune-scoped auditor's, about their commune only. */
export const handler = apiHandler(routeById('list-audit-log'), async ({ actor, query }) => ({
  statusCode: 200,
  body: await listAuditLog(audit, actor, query.limit ?? 100, query.cursor),
}));
