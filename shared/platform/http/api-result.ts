import type { Replayable } from '../idempotency.ts';
import type { RouteSpec } from './route-spec.ts';

/**
 * What a route's function answers once it has mapped its use case's result: the body it shows and,
 * only when the route declares several successes, which one. The edge adds the status and headers.
 */
export interface ApiResult {
  /** JSON-serialised, unless `raw` is set, when it is sent as is (e.g. CSV). */
  body: unknown;
  /** One of the route's declared successes; by default its only one (see {@link successStatus}). */
  statusCode?: number;
  /** The first answer to an Idempotency-Key, given again: sent with `Idempotent-Replay: true`. */
  replayed?: boolean;
  headers?: Record<string, string>;
  raw?: boolean;
  /** `body` is a Buffer sent as bytes (base64 to API Gateway), with `headers` naming its type. */
  binary?: boolean;
  /** Rows returned, for the audit trail (defaults to the length of `body.items`, else 1). */
  rows?: number;
}

/** The answer of a write under an Idempotency-Key: the view of its first result, marked when replayed. */
export const replayableAnswer = <R>(
  { result, replayed }: Replayable<R>,
  view: (result: R) => unknown = (r) => r,
): ApiResult => ({ body: view(result), replayed });

/**
 * The status of a route's success, from its spec (the one source the OpenAPI document is built from):
 * its only 2xx, or `chosen` when it declares several. Anything else is a programming error (500).
 */
export const successStatus = (route: RouteSpec, chosen?: number): number => {
  const successes = Object.keys(route.responses)
    .map(Number)
    .filter((status) => status >= 200 && status < 300);
  const status = chosen ?? (successes.length === 1 ? successes[0] : undefined);
  if (status === undefined || !successes.includes(status)) {
    throw new Error(
      `${route.method} ${route.path} answers ${chosen ?? 'without a status'}; its spec declares ${successes.join(', ')}`,
    );
  }
  return status;
};
