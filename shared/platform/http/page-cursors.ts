import { canonicalJson } from '../../ledger/domain/hash-chain.ts';
import { type Actor, scopeOf } from '../access.ts';
import type { CursorCodec } from '../aws/signed-cursor.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../tenancy.ts';
import type { RouteSpec } from './route-spec.ts';

/** Query parameters that page through one result rather than choose it: not part of a cursor's binding. */
const PAGING_PARAMETERS = new Set(['cursor', 'limit']);

/**
 * The caller a cursor is bound to: the account and its reach. The upgrade-default jurisdiction is left
 * out, so cursors issued before jurisdictions existed stay valid for the accounts they were issued to.
 */
const callerBinding = (actor: Actor) => {
  const { jurisdiction, ...rest } = scopeOf(actor).reach;
  return {
    sub: actor.sub,
    ...rest,
    ...(jurisdiction !== UPGRADE_DEFAULT_JURISDICTION ? { jurisdiction } : {}),
  };
};

/**
 * What a cursor is valid for: the route, its path id, every filter of the query (validated, so
 * `fiscalYear=2024` and `fiscalYear=02024` bind alike) and the caller with their scope.
 */
export const cursorBinding = (
  route: Pick<RouteSpec, 'method' | 'path'>,
  call: { query: unknown; actor: Actor; id?: string },
): string =>
  canonicalJson({
    route: `${route.method} ${route.path}`,
    id: call.id,
    filters: Object.fromEntries(
      Object.entries((call.query ?? {}) as Record<string, unknown>).filter(
        ([k]) => !PAGING_PARAMETERS.has(k),
      ),
    ),
    caller: callerBinding(call.actor),
  });

/**
 * The one cursor mechanism of the API, applied by the HTTP edge to every paged route: a store returns
 * its own (unsigned) position as `nextCursor`; the edge hands out that position signed for the call's
 * binding, and on the way back gives the store a position only if the signature holds for this call.
 */
export interface PageCursors {
  /** The store's position from a client's cursor (400 invalid_cursor unless issued for this very call). */
  open: (cursor: string, binding: string) => string;
  /** The body with its `nextCursor` signed for the call. */
  seal: (body: unknown, binding: string) => unknown;
}

/** Cursors signed and opened with one key's codec. */
export const pageCursorsOf = (codec: CursorCodec): PageCursors => ({
  open: (cursor, binding) => codec.decode(cursor, binding),
  seal: (body, binding) => {
    const next = (body as { nextCursor?: unknown } | null | undefined)?.nextCursor;
    if (typeof next !== 'string') return body;
    return { ...(body as object), nextCursor: codec.encode(next, binding) };
  },
});
