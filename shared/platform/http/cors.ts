/**
 * The response headers of the API a client reads, besides the body: their one definition, read by the
 * OpenAPI document (which answers carry which) and by CORS (which headers a browser may read).
 */
export const RESPONSE_HEADERS = {
  'X-Content-Type-Options': 'Always nosniff: the body is never sniffed into another type',
  'Cache-Control': 'Always no-store: answers carry access-controlled data and are never cached',
  'Retry-After': 'Seconds to wait before sending the same call again (same Idempotency-Key)',
  'Idempotent-Replay': 'true when this is the first answer to this Idempotency-Key, replayed',
  'Content-Disposition': 'The file name of a CSV export',
  'WWW-Authenticate': 'The authentication scheme to use: Bearer',
} as const;

export type ResponseHeader = keyof typeof RESPONSE_HEADERS;

/** Response headers every browser may read without being exposed (the Fetch standard's safelist). */
const CORS_SAFELISTED = new Set([
  'cache-control',
  'content-language',
  'content-length',
  'content-type',
  'expires',
  'last-modified',
  'pragma',
]);

/**
 * CORS for the dashboard, derived from the routes: every method a route takes, every request header a
 * route reads that is not CORS-safelisted (`Accept`, for the CSV export, is), and every documented
 * response header a browser could not read otherwise.
 */
export const corsPolicy = (routes: readonly RouteSpec[] = ROUTES) => ({
  allowMethods: [...new Set(routes.map((r) => r.method)), 'OPTIONS'] as const,
  allowHeaders: [
    ...(routes.some((r) => r.roles !== 'public') ? ['authorization'] : []),
    ...(routes.some((r) => r.body) ? ['content-type'] : []),
    ...(routes.some((r) => r.idempotencyKey) ? ['idempotency-key'] : []),
    // A file sent as the body (an import) names itself in X-File-Name (file-body.ts).
    ...(routes.some((r) => r.rawBody) ? ['x-file-name'] : []),
  ],
  exposeHeaders: Object.keys(RESPONSE_HEADERS)
    .map((h) => h.toLowerCase())
    .filter((h) => !CORS_SAFELISTED.has(h)),
});

import { ROUTES } from '../../routes.ts';
import type { RouteSpec } from './route-spec.ts';
