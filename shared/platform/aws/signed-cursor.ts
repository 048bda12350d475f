import { createHmac, timingSafeEqual } from 'node:crypto';
import { InvalidCursorError } from '../errors.ts';

/**
 * Opaque page cursors: a store's own position, signed with HMAC-SHA256 over that position and the
 * query it belongs to (its `binding`: route, filters, caller), so an edited or forged cursor, or one
 * replayed with other filters, on another route or by another caller, is refused (400 invalid_cursor)
 * instead of reading a wrong page. The binding is not carried in the cursor: the edge recomputes it.
 */
export interface CursorCodec {
  encode: (position: string, binding: string) => string;
  decode: (cursor: string, binding: string) => string;
}

/** Said to every caller whose cursor is refused, whatever the reason (no oracle on which part failed). */
export const INVALID_CURSOR_MESSAGE =
  'The cursor was altered, forged, or issued for another query, route or user; restart from the first page (repeat the query without cursor).';

export const createCursorCodec = (secret: string): CursorCodec => {
  if (secret.length < 32) throw new Error('the cursor secret must be at least 32 characters');
  const sign = (payload: string, binding: string) =>
    createHmac('sha256', secret).update(payload).update('\n').update(binding).digest();
  return {
    encode: (position, binding) => {
      const payload = Buffer.from(position, 'utf8').toString('base64url');
      return `${payload}.${sign(payload, binding).toString('base64url')}`;
    },
    decode: (cursor, binding) => {
      const [payload, signature, ...rest] = cursor.split('.');
      const wellFormed = /^[A-Za-z0-9_-]+$/;
      if (
        !payload ||
        !signature ||
        rest.length > 0 ||
        !wellFormed.test(payload) ||
        !wellFormed.test(signature)
      )
        throw new InvalidCursorError(INVALID_CURSOR_MESSAGE);
      const expected = sign(payload, binding);
      const given = Buffer.from(signature, 'base64url');
      // base64url decoding ignores stray trailing bits: compare the canonical spelling too.
      if (
        given.length !== expected.length ||
        !timingSafeEqual(given, expected) ||
        given.toString('base64url') !== signature
      )
        throw new InvalidCursorError(INVALID_CURSOR_MESSAGE);
      return Buffer.from(payload, 'base64url').toString('utf8');
    },
  };
};
