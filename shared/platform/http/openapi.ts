import * as z from 'zod';
import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
} from 'zod-openapi';
import { ROUTES } from '../../routes.ts';
import { RESPONSE_HEADERS, type ResponseHeader } from './cors.ts';
import { MAX_BODY_BYTES } from './json-body.ts';
import type { RouteSpec } from './route-spec.ts';
import { ErrorBody, IdempotencyKey, IdPath } from './schemas.ts';

const headerSchemas: Record<ResponseHeader, { type: 'string'; enum?: string[]; pattern?: string }> = {
  'X-Content-Type-Options': { type: 'string', enum: ['nosniff'] },
  'Cache-Control': { type: 'string', enum: ['no-store'] },
  'Retry-After': { type: 'string', pattern: '^[1-9][0-9]*$' },
  'Idempotent-Replay': { type: 'string', enum: ['true'] },
  'Content-Disposition': { type: 'string' },
  'WWW-Authenticate': { type: 'string' },
};

const ref = (name: ResponseHeader) => ({ $ref: `#/components/headers/${name}` });
/** The headers of an answer: the security headers on every one, then those the answer adds. */
const headers = (...extra: ResponseHeader[]) =>
  Object.fromEntries(
    (['X-Content-Type-Options', 'Cache-Control', ...extra] as const).map((h) => [h, ref(h)]),
  );

/** Every route takes it: the language of its error messages (codes never change with it). */
const AcceptLanguage = z.string().optional().meta({
  description:
    'Language of error messages: `vi` (or `vi-VN`, weights honoured) answers them in Vietnamese; English otherwise. Codes stay the same.',
  example: 'vi',
});

const error = (description: string, ...extra: ResponseHeader[]): ZodOpenApiResponseObject => ({
  description,
  headers: headers(...extra),
  content: { 'application/json': { schema: ErrorBody } },
});

/**
 * The error answers a route can give by what it is, derived once: input to validate (400), a body
 * (413 above 64 KB, 415), a token (401, 403), an Idempotency-Key (409 when reused with another
 * body), a table (503 when it is briefly unavailable). Any answer above API Gateway's 10 MB is 413,
 * and an unexpected failure is 500. A route's own list adds its 404, 409, 422 and overrides these.
 */
const derivedErrors = (route: RouteSpec): Record<number, ZodOpenApiResponseObject> => {
  const out: Record<number, ZodOpenApiResponseObject> = {};
  if (route.body || route.query || route.path.includes('{id}') || route.idempotencyKey) {
    out[400] = error(
      'invalid_request (or invalid_cursor on a paged route, invalid_path for a malformed path); the message names the field to fix',
    );
  }
  if (route.roles !== 'public') {
    out[401] = error(
      'unauthorized: missing, invalid or expired token, or not an ID token',
      'WWW-Authenticate',
    );
    out[403] = error('forbidden: the token has none of the groups the route allows, or its scope does not');
  }
  if (route.idempotencyKey)
    out[409] = error('idempotency_key_reused: the key was used before with another body');
  out[413] = error(
    route.body
      ? `payload_too_large: the body is larger than ${MAX_BODY_BYTES} bytes`
      : route.rawBody
        ? `payload_too_large: the file is larger than ${route.rawBody.maxBytes} bytes (details.maxBytes)`
        : 'payload_too_large: the request is larger than the gateway accepts (10 MB)',
  );
  if (route.body) {
    out[415] = error('unsupported_media_type: send the body as UTF-8 JSON (Content-Type: application/json)');
  }
  if (route.rawBody) {
    out[400] ??= error('invalid_request: an empty body or a bad X-File-Name; the message says what to fix');
    out[415] = error(
      `unsupported_media_type: send the file with Content-Type ${route.rawBody.mediaTypes.join(' or ')} (details.accepted)`,
    );
  }
  out[500] = error(
    'internal_error: an unexpected failure; the message carries the request id, never internals',
  );
  if (route.table !== 'none') {
    out[503] = error(
      'service_unavailable: a dependency is briefly busy; retry after Retry-After seconds, with the same Idempotency-Key',
      'Retry-After',
    );
  }
  return out;
};

const answer = (route: RouteSpec, status: number, r: RouteSpec['responses'][number]) => {
  if (status >= 400) return error(r.description);
  const extra: ResponseHeader[] = [
    ...(route.idempotencyKey ? (['Idempotent-Replay'] as const) : []),
    ...(r.csv || r.binary ? (['Content-Disposition'] as const) : []),
  ];
  return {
    description: r.description,
    headers: headers(...extra),
    ...(r.schema
      ? {
          content: {
            'application/json': { schema: r.schema },
            ...(r.csv ? { 'text/csv': { schema: { type: 'string' as const, description: r.csv } } } : {}),
          },
        }
      : r.html
        ? { content: { 'text/html': { schema: { type: 'string' as const, description: r.html } } } }
        : r.binary
          ? {
              content: Object.fromEntries(
                r.binary.map((type) => [type, { schema: { type: 'string' as const, format: 'binary' } }]),
              ),
            }
          : {}),
  };
};

const operation = (route: RouteSpec): ZodOpenApiOperationObject => {
  const header = z.object({
    'accept-language': AcceptLanguage,
    ...(route.idempotencyKey
      ? {
          'idempotency-key':
            route.idempotencyKey === 'required'
              ? IdempotencyKey.meta({ description: 'Makes a retry return the first answer' })
              : IdempotencyKey.optional().meta({ description: 'Makes a retry return the first answer' }),
        }
      : {}),
  });
  const responses = { ...derivedErrors(route) };
  for (const [status, r] of Object.entries(route.responses))
    responses[Number(status)] = answer(route, Number(status), r);
  return {
    operationId: route.functionId,
    summary: route.summary,
    ...(route.roles === 'public'
      ? { security: [] }
      : { description: `Groups allowed: ${route.roles.join(', ')}.`, security: [{ bearer: [] }] }),
    requestParams: {
      ...(route.path.includes('{id}') || route.pathId !== undefined
        ? { path: (route.pathId ?? IdPath) as z.ZodObject }
        : {}),
      ...(route.query ? { query: route.query as z.ZodObject } : {}),
      header,
    },
    ...(route.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: route.body } } } }
      : route.rawBody
        ? {
            requestBody: {
              required: true,
              content: Object.fromEntries(
                route.rawBody.mediaTypes.map((type) => [
                  type,
                  { schema: { type: 'string' as const, format: 'binary' } },
                ]),
              ),
            },
          }
        : {}),
    responses: Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b))),
  };
};

/** Where the API answers: the stage's own URL in AWS, and `npm start` locally. */
const servers = [
  {
    url: 'https://{apiId}.execute-api.{region}.amazonaws.com',
    description: "A deployed stage (the stack's ApiUrl output)",
    variables: {
      apiId: { default: 'abcdef1234', description: 'The HTTP API id' },
      region: { default: 'ap-southeast-1', description: 'The AWS region of the deployment' },
    },
  },
  { url: 'http://localhost:3000', description: 'The local runtime (`npm start`; PORT changes the port)' },
];

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
      description:
        'Disbursement control and tamper-evident ledger of public poverty-reduction funds. Every error answers `{"error":{"code","message","details"?}}` with a stable code.',
    },
    servers,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      headers: Object.fromEntries(
        (Object.keys(RESPONSE_HEADERS) as ResponseHeader[]).map((h) => [
          h,
          {
            description: RESPONSE_HEADERS[h],
            // The security headers and Retry-After are sent every time a response lists them.
            required: !['Idempotent-Replay', 'Content-Disposition', 'WWW-Authenticate'].includes(h),
            schema: headerSchemas[h],
          },
        ]),
      ),
    },
    security: [{ bearer: [] }],
    paths,
  });
};
