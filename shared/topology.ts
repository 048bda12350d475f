import { AUDIT_FUNCTIONS } from './audit/topology.ts';
import { IMPORT_FUNCTIONS, IMPORT_QUEUES } from './imports/topology.ts';
import { LEDGER_FUNCTIONS, LEDGER_QUEUES } from './ledger/topology.ts';
import { MONITORING_FUNCTIONS, MONITORING_QUEUES } from './monitoring/topology.ts';
import { isAuditedRoute } from './platform/http/audited-route.ts';
import { isPagedRoute } from './platform/http/paged-route.ts';
import type { RouteSpec } from './platform/http/route-spec.ts';
import { CURSOR_SECRET_ENV, type FunctionSpec, type QueueSpec } from './platform/topology.ts';
import { ROUTES } from './routes.ts';

/**
 * The system's queues and functions: every feature's declarations, composed (the vocabulary is in
 * shared/platform/topology.ts). Read by both the CDK app (infra/) and the local runtime (local/).
 */

export const QUEUES: QueueSpec[] = [...LEDGER_QUEUES, ...MONITORING_QUEUES, ...IMPORT_QUEUES];

export const FUNCTIONS: FunctionSpec[] = [
  ...ROUTES.map(
    (route: RouteSpec): FunctionSpec => ({
      id: route.functionId,
      entry: `functions/api/${route.functionId}.ts`,
      trigger: { kind: 'http', route },
      timeoutSeconds: route.timeoutSeconds ?? 10,
      environment: {},
      table: route.table,
      sendsTo: [...(route.sendsTo ?? [])],
      // A paged route signs its cursors: its function gets the cursor key, declared nowhere else.
      secrets: [...new Set([...(route.secrets ?? []), ...(isPagedRoute(route) ? [CURSOR_SECRET_ENV] : [])])],
      settings: [...(route.settings ?? [])],
      ...(route.sendsEmail ? { sendsEmail: true } : {}),
      ...(route.documents ? { documents: route.documents } : {}),
      ...(route.anchors ? { anchors: route.anchors } : {}),
      ...(route.bundleFiles ? { bundleFiles: route.bundleFiles } : {}),
      auditTrail: isAuditedRoute(route),
    }),
  ),
  ...LEDGER_FUNCTIONS,
  ...MONITORING_FUNCTIONS,
  ...AUDIT_FUNCTIONS,
  ...IMPORT_FUNCTIONS,
];
