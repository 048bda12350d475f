/**
 * Whether a route pages its answers: its query takes a `cursor`. Its cursors are then signed by the
 * HTTP edge (page-cursors.ts), and its function gets the cursor key (CURSOR_SECRET) from the topology.
 */
export const isPagedRoute = (route: RouteSpec): boolean => {
  const shape = (route.query as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape !== undefined && 'cursor' in shape;
};

import type { RouteSpec } from './route-spec.ts';
