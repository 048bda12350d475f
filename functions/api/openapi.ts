import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { openApiDocument } from '../../shared/platform/http/openapi.ts';
import { routeById } from '../../shared/routes.ts';

const document = openApiDocument();

/** GET /openapi.json: the OpenAPI 3.1 document, generated from the zod schemas that validate requests. */
export const handler = apiHandler(routeById('openapi'), async () => ({ body: document }));
