import { readSecret } from '../aws/secrets.ts';
import { createCursorCodec } from '../aws/signed-cursor.ts';
import { CURSOR_SECRET_ENV } from '../topology.ts';
import { type PageCursors, pageCursorsOf } from './page-cursors.ts';

/**
 * The page cursors of a paged route, keyed by CURSOR_SECRET, read at run time (Secrets Manager in AWS,
 * cached; see readSecret): a call gets the cursors for the key as it is now.
 */
export const pageCursorsFromEnv = (env: NodeJS.ProcessEnv = process.env): (() => Promise<PageCursors>) => {
  let current: { secret: string; cursors: PageCursors } | undefined;
  return async () => {
    const secret = await readSecret(CURSOR_SECRET_ENV, env);
    if (current?.secret !== secret) current = { secret, cursors: pageCursorsOf(createCursorCodec(secret)) };
    return current.cursors;
  };
};
