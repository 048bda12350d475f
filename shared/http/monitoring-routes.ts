import type { RouteSpec } from './routes.ts';

/** Routes of monitoring: runs, subscriptions, alerts, progress reports (issue 3). */
export const MONITORING_ROUTES = [] as const satisfies readonly RouteSpec[];
