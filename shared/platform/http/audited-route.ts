/**
 * Whether a route's queries go to the audit trail: every read of stored data (an auditor's query is
 * recorded: who, route, filters, when, rows returned).
 */
export const isAuditedRoute = (route: Pick<RouteSpec, 'method' | 'table'>): boolean =>
  route.method === 'GET' && route.table !== 'none';

import type { RouteSpec } from './route-spec.ts';
