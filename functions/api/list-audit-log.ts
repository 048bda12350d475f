import { auditStoreFromEnv } from '../../shared/adapters/from-env.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { routeById } from '../../shared/http/routes.ts';

const audit = auditStoreFromEnv();

/** GET /audit-log: auditors' queries, newest first. */
export const handler = apiHandler(routeById('list-audit-log'), async ({ query }) => ({
  statusCode: 200,
  body: await audit.listAuditLog(query.limit ?? 100, query.cursor),
}));
