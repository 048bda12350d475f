import middy from '@middy/core';
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import type * as z from 'zod';
import type { AuditTrail } from '../../audit/adapters/audit-trail.ts';
import { type Actor, assertAnyRole, scopeOf } from '../access.ts';
import { logger } from '../aws/logger.ts';
import { countMetric } from '../aws/metrics.ts';
import { observability } from '../aws/observability.ts';
import { ValidationError } from '../errors.ts';
import { normalizeText, quoteForMessage, textProblem } from '../text-hygiene.ts';
import { type ApiResult, successStatus } from './api-result.ts';
import { isAuditedRoute } from './audited-route.ts';
import { actorFromClaims } from './claims.ts';
import { apiResponse, errorLanguageOf, errorResponse, json } from './error-response.ts';
import { parseFileBody, type UploadedFile } from './file-body.ts';
import { parseJsonBody } from './json-body.ts';
import { cursorBinding, type PageCursors } from './page-cursors.ts';
import { isPagedRoute } from './paged-route.ts';
import type { RouteSpec } from './route-spec.ts';
import { IdempotencyKey, IdPath } from './schemas.ts';

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;

/** What a route's use case receives once the edge has authenticated and validated the call. */
export interface ApiInput<B = unknown, Q = unknown> {
  actor: Actor;
  body: B;
  query: Q;
  id?: string;
  /** The path's parameters, validated by the route's `pathId` schema (`{id}`, and e.g. `{docId}`). */
  params: Record<string, string>;
  idempotencyKey?: string;
  /** Request headers, names lower-cased. */
  headers: Record<string, string>;
  /** The body as a file, on a route that takes one (`rawBody`). */
  file?: UploadedFile;
}

const zodMessage = (error: z.ZodError, where: string): ValidationError => {
  const issues = error.issues.map((i) => ({ path: [where, ...i.path].join('.'), message: i.message }));
  const first = issues[0];
  const unknownKeys = error.issues.flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys : []));
  // Named where they sit: `body.treasuryVoucher: unknown field(s) "by"`, not just `body`.
  const unknownAt = error.issues.find((i) => i.code === 'unrecognized_keys')?.path ?? [];
  const message =
    unknownKeys.length > 0
      ? `${[where, ...unknownAt].join('.')}: unknown field(s) ${unknownKeys.map((k) => quoteForMessage(k)).join(', ')}; remove them.`
      : `${first?.path ?? where}: ${first?.message ?? 'invalid'}`;
  return new ValidationError(message, { issues });
};

const validate = <T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T => {
  if (!schema) return undefined as T;
  const result = schema.safeParse(value);
  if (!result.success) throw zodMessage(result.error, where);
  return result.data;
};

const header = (event: ApiEvent, name: string): string | undefined => {
  const found = Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === name);
  return found?.[1];
};

const publicActor: Actor = { sub: 'anonymous', groups: [] };

/**
 * The query string's values in NFC, each refused when it is not clean one-line text: they are echoed
 * in answers and stored in the audit trail (filters), so they follow the body's text rules. A page
 * cursor is opaque: its own signature check refuses anything not issued (400 `invalid_cursor`).
 */
const cleanQuery = (query: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(query).flatMap(([name, raw]) => {
      if (raw === undefined) return [];
      if (name === 'cursor') return [[name, raw]];
      const value = normalizeText(raw);
      const problem = textProblem(value);
      if (problem) {
        const field = /^\w+$/.test(name) ? name : quoteForMessage(name);
        throw new ValidationError(`query.${field}: ${problem}.`, { field: `query.${name}` });
      }
      return [[name, value]];
    }),
  );

/** The event's values of the parameters the route's path names (`{id}`, `{docId}`, …), absent ones undefined. */
const pathParametersOf = (route: RouteSpec, event: ApiEvent): Record<string, string | undefined> =>
  Object.fromEntries(
    [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name = '']) => [name, event.pathParameters?.[name]]),
  );

/** Authenticates, authorizes and validates an API Gateway HTTP API (payload v2) call for a route. */
export const parseApiCall = (route: RouteSpec, event: ApiEvent): ApiInput => {
  let actor = publicActor;
  if (route.roles !== 'public') {
    actor = actorFromClaims(event.requestContext?.authorizer?.jwt?.claims);
    assertAnyRole(scopeOf(actor), route.roles, `${route.method} ${route.path}`);
  }
  const id = event.pathParameters?.id;
  const params: Record<string, string> =
    route.path.includes('{id}') || route.pathId !== undefined
      ? (validate(route.pathId ?? IdPath, pathParametersOf(route, event), 'path') as Record<string, string>)
      : {};
  const body = route.body
    ? validate(
        route.body,
        parseJsonBody(event.body, event.isBase64Encoded, header(event, 'content-type')),
        'body',
      )
    : undefined;
  const headers = Object.fromEntries(
    Object.entries(event.headers ?? {}).flatMap(([k, v]) => (v === undefined ? [] : [[k.toLowerCase(), v]])),
  );
  const file = route.rawBody
    ? parseFileBody(route.rawBody, event.body, event.isBase64Encoded, headers)
    : undefined;
  const query = validate(route.query, cleanQuery(event.queryStringParameters ?? {}), 'query');
  let idempotencyKey: string | undefined;
  const rawKey = header(event, 'idempotency-key');
  if (route.idempotencyKey === 'required' || rawKey !== undefined) {
    idempotencyKey = validate(IdempotencyKey, rawKey, 'header Idempotency-Key');
  }
  return {
    actor,
    body,
    query,
    headers,
    params,
    ...(file ? { file } : {}),
    ...(id ? { id } : {}),
    ...(idempotencyKey ? { idempotencyKey } : {}),
  };
};

type Out<S> = S extends z.ZodType<infer T> ? T : undefined;
export type InputOf<R extends RouteSpec> = ApiInput<
  R extends { body: infer B } ? Out<B> : undefined,
  R extends { query: infer Q } ? Out<Q> : undefined
>;

const rowsOf = (result: ApiResult): number => {
  if (result.rows !== undefined) return result.rows;
  const items = (result.body as { items?: unknown } | undefined)?.items;
  return Array.isArray(items) ? items.length : 1;
};

/**
 * What a route that reads stored data needs besides the edge itself: the audit trail (every such route,
 * isAuditedRoute) and, when it pages, its cursors (isPagedRoute). Given by the function (stored-data-edge.ts),
 * so that the others' bundles leave out the audit feature and the Secrets Manager client.
 */
export interface StoredDataEdge {
  auditTrail?: AuditTrail;
  pageCursorsFromEnv?: () => () => Promise<PageCursors>;
}

/**
 * Composition of an HTTP function: middy first (error mapping), handler last. The route's function
 * gets a parsed, authorized input, calls its use case and maps the result to a body; the edge gives
 * it the status the route's spec declares and the headers (Idempotent-Replay) its result calls for.
 */
export const apiHandler = <R extends RouteSpec>(
  route: R,
  run: (input: InputOf<R>) => Promise<ApiResult>,
  edge: StoredDataEdge = {},
) => {
  const { auditTrail } = edge;
  if (isAuditedRoute(route) && !auditTrail) {
    throw new Error(
      `${route.functionId}: a route that reads stored data records auditors' reads: use auditedApiHandler`,
    );
  }
  if (isPagedRoute(route) && !edge.pageCursorsFromEnv) {
    throw new Error(`${route.functionId}: a paged route signs its cursors: use pagedApiHandler`);
  }
  const pageCursors = isPagedRoute(route) ? edge.pageCursorsFromEnv?.() : undefined;
  return (
    middy<ApiEvent, APIGatewayProxyStructuredResultV2, Error, Context>()
      // The API Gateway request id is the correlation id: queue messages carry it on to the consumers.
      .use(observability<ApiEvent>((event) => event.requestContext?.requestId))
      .use({
        // One line per answered call, under the call's correlation id.
        after: async (request) => {
          logger.info(`${route.method} ${route.path} answered ${request.response?.statusCode}`);
        },
        onError: async (request) => {
          request.response = errorResponse(
            request.error,
            request.context?.awsRequestId ?? 'unknown',
            errorLanguageOf(header(request.event, 'accept-language')),
          );
          logger.info(`${route.method} ${route.path} answered ${request.response.statusCode}`);
        },
      })
      .handler(async (event) => {
        const input = parseApiCall(route, event) as InputOf<R>;
        const cursors = await pageCursors?.();
        const binding = cursors ? cursorBinding(route, input) : '';
        // The route's use case gets the store's own position, only from a cursor issued for this call.
        const paging = input.query as { cursor?: string } | undefined;
        if (cursors && paging?.cursor !== undefined) paging.cursor = cursors.open(paging.cursor, binding);
        const result = await run(input);
        const statusCode = successStatus(route, result.statusCode);
        const headers = { ...result.headers, ...(result.replayed ? { 'idempotent-replay': 'true' } : {}) };
        if (result.replayed) countMetric('IdempotentReplays', { route: route.functionId });
        if (auditTrail && isAuditedRoute(route)) {
          const filters = {
            ...cleanQuery(event.queryStringParameters ?? {}),
            ...(input.id ? { id: input.id } : {}),
          };
          await auditTrail(input.actor, `${route.method} ${route.path}`, filters, rowsOf(result));
        }
        if (result.binary) {
          if (!Buffer.isBuffer(result.body))
            throw new Error(`${route.functionId}: a binary answer needs a Buffer body`);
          return {
            ...apiResponse(statusCode, result.body.toString('base64'), headers),
            isBase64Encoded: true,
          };
        }
        if (result.raw) return apiResponse(statusCode, String(result.body), headers);
        const body = cursors ? cursors.seal(result.body, binding) : result.body;
        return json(statusCode, body, headers);
      })
  );
};
