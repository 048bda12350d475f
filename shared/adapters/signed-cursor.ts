import { createHmac, timingSafeEqual } from 'node:crypto';
import { InvalidCursorError } from '../domain/errors.ts';

/**
 * Opaque page cursors: the DynamoDB position plus the query it belongs to, signed with HMAC-SHA256, so
 * an edited cursor or one from another query is refused (400 invalid_cursor) instead of being used.
 */
export interface CursorCodec {
  encode: (position: Record<string, unknown>, query: string) => string;
  decode: (cursor: string, query: string) => Record<string, unknown>;
}

export const createCursorCodec = (secret: string): CursorCodec => {
  if (secret.length < 32) throw new Error('the cursor secret must be at least 32 characters');
  const sign = (payload: string) => createHmac('sha256', secret).update(payload).digest();
  const refuse = () =>
    new InvalidCursorError(
      'The cursor was altered or belongs to another query; repeat the query without it.',
    );
  return {
    encode: (position, query) => {
      const payload = Buffer.from(JSON.stringify({ p: position, q: query }), 'utf8').toString('base64url');
      return `${payload}.${sign(payload).toString('base64url')}`;
    },
    decode: (cursor, query) => {
      const [payload, signature, ...rest] = cursor.split('.');
      if (!payload || !signature || rest.length > 0) throw refuse();
      const expected = sign(payload);
      const given = Buffer.from(signature, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw refuse();
      const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
        p: Record<string, unknown>;
        q: string;
      };
      if (decoded.q !== query) throw refuse();
      return decoded.p;
    },
  };
};
