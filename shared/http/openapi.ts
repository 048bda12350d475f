import * as z from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { ROUTES, type RouteSpec } from './routes.ts';
import { IdempotencyKey, IdPath } from './schemas.ts';

const operation = (route: RouteSpec): ZodOpenApiOperationObject => {
  const header = route.idempotencyKey
    ? z.object({
        'idempotency-key':
          route.idempotencyKey === 'required'
            ? IdempotencyKey.meta({ description: 'Makes a retry return the first answer' })
            : IdempotencyKey.optional().meta({ description: 'Makes a retry return the first answer' }),
      })
    : undefined;
  return {
    operationId: route.functionId,
    summary: route.summary,
    ...(route.roles === 'public'
      ? { security: [] }
      : { description: `Groups allowed: ${route.roles.join(', ')}.`, security: [{ bearer: [] }] }),
    requestParams: {
      ...(route.path.includes('{id}') ? { path: (route.pathId ?? IdPath) as z.ZodObject } : {}),
      ...(route.query ? { query: route.query as z.ZodObject } : {}),
      ...(header ? { header } : {}),
    },
    ...(route.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: route.body } } } }
      : {}),
    responses: Object.fromEntries(
      Object.entries(route.responses).map(([status, r]) => [
        status,
        {
          description: r.description,
          ...(r.schema ? { content: { 'application/json': { schema: r.schema } } } : {}),
        },
      ]),
    ),
  };
};

/** The OpenAPI 3.1 document of every route, generated from the zod schemas that validate requests. */
export const openApiDocument = () => {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of ROUTES) {
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation(route) };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'giai-ngan',
      version: '0.1.0',
      description: 'Disbursement control and tamper-evident ledger of public poverty-reduction funds.',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    security: [{ bearer: [] }],
    paths,
  });
};
