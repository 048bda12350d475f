import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { routeById } from '../../shared/routes.ts';

/** GET /health: liveness, no token needed. */
export const handler = apiHandler(routeById('health'), async () => ({ body: { status: 'ok' } }));
