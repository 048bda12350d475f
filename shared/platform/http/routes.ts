import { ROLES } from '../roles.ts';
import type { RouteSpec } from './route-spec.ts';
import { Health, OpenApiDocumentView } from './schemas.ts';

/** Routes of the API itself, whatever the features: liveness and the OpenAPI document. */
export const PLATFORM_ROUTES = [
  {
    method: 'GET',
    path: '/health',
    functionId: 'health',
    table: 'none',
    summary: 'Liveness check',
    roles: 'public',
    responses: { 200: { description: 'Up', schema: Health } },
  },
  {
    method: 'GET',
    path: '/openapi.json',
    functionId: 'openapi',
    table: 'none',
    summary: 'This OpenAPI 3.1 document',
    roles: ROLES,
    responses: { 200: { description: 'OpenAPI document', schema: OpenApiDocumentView } },
  },
] as const satisfies readonly RouteSpec[];
