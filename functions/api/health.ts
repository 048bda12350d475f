import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';
import { PLATFORM_ROUTES } from '../../shared/platform/http/routes.ts';

/** GET /health: liveness, no token needed. */
export const handler = apiHandler(routeIn(PLATFORM_ROUTES, 'health'), async () => ({
  body: { status: 'ok' },
}));
