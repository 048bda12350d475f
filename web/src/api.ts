/** The API client: bearer token, JSON in and out, the API's error body turned into an ApiError. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The error body's `details` (an import's bad cells, a limit), as the API sent them. */
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** A response read whole: its status (an import queued as a job answers 202, not 201) and JSON body. */
export interface Answer<T> {
  status: number;
  body: T;
}

export interface Api {
  get: <T>(path: string) => Promise<T>;
  post: <T>(path: string, body?: unknown, headers?: Record<string, string>) => Promise<T>;
  /** A response as a file (e.g. CSV), with the same authorization. */
  blob: (path: string, accept: string) => Promise<Blob>;
  /** A file sent as the body (an import): its bytes with its media type and name (X-File-Name). */
  upload: <T>(path: string, file: Blob, contentType: string, fileName: string) => Promise<Answer<T>>;
}

/** How often a read answered "briefly unavailable" (503) is asked again, and the longest pause before it. */
export const READ_RETRIES = 3;
const MAX_RETRY_PAUSE_MS = 5_000;

/**
 * The pause a 503's `Retry-After` asks for (seconds; the API sends 1), within 0.2–5 s: a missing or
 * unreadable header waits 1 s.
 */
export const retryPauseMs = (retryAfter: string | null): number => {
  const seconds = Number(retryAfter ?? '');
  if (retryAfter === null || retryAfter.trim() === '' || !Number.isFinite(seconds)) return 1_000;
  return Math.min(MAX_RETRY_PAUSE_MS, Math.max(200, seconds * 1_000));
};

/**
 * `fetchFn` and `sleep` are the browser's own unless a test gives others. A read (GET) the API
 * answers 503 (DynamoDB or a queue briefly busy: error-response.ts) is asked again after the pause
 * `Retry-After` asks for, up to READ_RETRIES times, so a busy moment does not leave a screen empty; a
 * write is never repeated here (the person sees the error and sends it again with the same key).
 */
export const createApi = (
  baseUrl: string,
  token: () => string | undefined,
  onUnauthorized: () => void,
  fetchFn: typeof fetch = (input, init) => fetch(input, init),
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Api => {
  const request = async (
    method: string,
    path: string,
    body?: unknown,
    extra: Record<string, string> = {},
  ) => {
    const headers: Record<string, string> = { accept: 'application/json', ...extra };
    const bearer = token();
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    // A Blob is a file sent as it is (its media type in `extra`); anything else is JSON.
    const raw = body instanceof Blob;
    if (body !== undefined && !raw) headers['content-type'] = 'application/json';
    const send = () =>
      fetchFn(`${baseUrl}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: raw ? body : JSON.stringify(body) } : {}),
      });
    let res = await send();
    for (let retry = 0; method === 'GET' && res.status === 503 && retry < READ_RETRIES; retry++) {
      await sleep(retryPauseMs(res.headers.get('retry-after')));
      res = await send();
    }
    if (!res.ok) {
      let code = 'http_error';
      let message = `${res.status} ${res.statusText}`;
      let details: unknown;
      try {
        const err = (await res.json()) as {
          error?: { code?: string; message?: string; details?: unknown };
          message?: string;
        };
        code = err.error?.code ?? code;
        message = err.error?.message ?? err.message ?? message;
        details = err.error?.details;
      } catch {
        // not JSON
      }
      if (res.status === 401) onUnauthorized();
      throw new ApiError(res.status, code, message, details);
    }
    return res;
  };
  return {
    get: async <T>(path: string) => (await (await request('GET', path)).json()) as T,
    post: async <T>(path: string, body?: unknown, headers?: Record<string, string>) =>
      (await (await request('POST', path, body ?? {}, headers)).json()) as T,
    blob: async (path, accept) => (await request('GET', path, undefined, { accept })).blob(),
    upload: async <T>(path: string, file: Blob, contentType: string, fileName: string) => {
      const res = await request('POST', path, file, {
        'content-type': contentType,
        'x-file-name': encodeURIComponent(fileName),
      });
      return { status: res.status, body: (await res.json()) as T };
    },
  };
};

/**
 * One Idempotency-Key per thing asked for (a body, with what it is about), kept for the page's life: a
 * repeated click sends the same key, so the API records it once.
 */
const keys = new Map<string, string>();
export const idempotencyKeyFor = (body: string) => {
  if (!keys.has(body)) keys.set(body, crypto.randomUUID());
  return keys.get(body) as string;
};
