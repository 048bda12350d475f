import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { openApiDocument } from '../../shared/platform/http/openapi.ts';
import { routeIn } from '../../shared/platform/http/route-in.ts';
import { PLATFORM_ROUTES } from '../../shared/platform/http/routes.ts';

const document = openApiDocument();

/** GET /openapi.json: the OpenAPI 3.1 document, generated from the zod schemas that validate requests. */
export const handler = apiHandler(routeIn(PLATFORM_ROUTES, 'openapi'), async () => ({ body: document }));
