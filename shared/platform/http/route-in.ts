import type { RouteSpec } from './route-spec.ts';

/**
 * A function's route, found in its feature's route list: a function imports only that list (and the
 * schemas behind it), not shared/routes.ts, which composes every feature's and would build every
 * route's schemas into each bundle at import (npm run bench, cold start).
 */
export const routeIn = <const Rs extends readonly RouteSpec[], const I extends Rs[number]['functionId']>(
  routes: Rs,
  functionId: I,
): Extract<Rs[number], { functionId: I }> => {
  const route = routes.find((r) => r.functionId === functionId);
  if (!route) throw new Error(`no route for ${functionId}`);
  return route as Extract<Rs[number], { functionId: I }>;
};
