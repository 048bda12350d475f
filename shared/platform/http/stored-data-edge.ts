import { auditTrailFromEnv } from '../../audit/adapters/audit-trail.ts';
import { apiHandler } from './api-handler.ts';
import { pageCursorsFromEnv } from './page-cursors-from-env.ts';

/**
 * The HTTP edge of a route that reads stored data (isAuditedRoute): auditors' reads go to the audit
 * trail. Its own module, so that only such functions bundle and load the audit feature.
 */
export const auditedApiHandler: typeof apiHandler = (route, run) =>
  apiHandler(route, run, { auditTrail: auditTrailFromEnv });

/** The same for a route that pages its answers (isPagedRoute): its cursors signed with CURSOR_SECRET. */
export const pagedApiHandler: typeof apiHandler = (route, run) =>
  apiHandler(route, run, { auditTrail: auditTrailFromEnv, pageCursorsFromEnv });
