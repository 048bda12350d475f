import type { RouteSpec } from './routes.ts';

/** Routes of the audit side: ledger queries, exports, statements, verification (issue 4). */
export const AUDIT_ROUTES = [] as const satisfies readonly RouteSpec[];
