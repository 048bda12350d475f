import { queueDepth } from '../../../local/queue-depth.ts';
import type { LocalRuntime } from '../../../local/runtime.ts';
import { type ApiResponse, eventually, type Runtime } from '../../e2e/support/local-runtime.ts';

/** A 503 as the API promises it: a Retry-After header and the stable error body. */
export const isClean503 = (res: ApiResponse): boolean =>
  res.status === 503 &&
  Number(res.headers.get('retry-after')) > 0 &&
  res.body?.error?.code === 'service_unavailable' &&
  typeof res.body?.error?.message === 'string';

/**
 * A client that behaves as the API asks: on a 503 (or, when a crash is expected, any 5xx) it waits
 * and sends the very same call again, with the same Idempotency-Key. It counts every answer and
 * keeps every 5xx that is not the clean 503.
 */
export const retryingClient = (options: { maxAttempts?: number; crashesExpected?: boolean } = {}) => {
  const stats = { calls: 0, answers503: 0, retries: 0, answers5xxAfterCrash: 0 };
  const unclean: string[] = [];
  const send = async (what: string, call: () => Promise<ApiResponse>): Promise<ApiResponse> => {
    for (let attempt = 1; ; attempt++) {
      stats.calls += 1;
      const res = await call();
      if (res.status < 500) return res;
      if (isClean503(res)) stats.answers503 += 1;
      else if (options.crashesExpected) stats.answers5xxAfterCrash += 1;
      else unclean.push(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
      if (attempt >= (options.maxAttempts ?? 40)) return res;
      stats.retries += 1;
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 80));
    }
  };
  return { send, stats, unclean };
};

/** A queue's messages visible or in flight; a count SQS leaves out keeps the waiter waiting. */
const depth = (local: LocalRuntime, url: string) => queueDepth(local.sqsClient, url, { missing: 1 });

/**
 * Waits until every queue of a runtime holds nothing visible or in flight; resolves with the number
 * of messages its dead-letter queues hold.
 */
export const queuesDrained = async (local: LocalRuntime): Promise<number> => {
  await eventually(
    'every queue drained',
    async () => {
      let left = 0;
      for (const q of local.queues) left += await depth(local, q.url);
      return left;
    },
    (left) => left === 0,
    90_000,
  );
  let dead = 0;
  for (const q of local.queues) dead += await depth(local, q.deadLetterUrl);
  return dead;
};

/** The request as an inspector reads it (a role whose reads are not audit-logged), retried past 503s. */
export const readRequest = async (
  rt: Runtime,
  client: ReturnType<typeof retryingClient>,
  token: string,
  id: string,
) => {
  const res = await client.send(`GET /requests/${id}`, () => rt.call('GET', `/requests/${id}`, { token }));
  if (res.status !== 200) throw new Error(`GET /requests/${id}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as {
    id: string;
    status: string;
    nextLevel?: string;
    chain: string[];
    fundingLine: string;
    createdAt: string;
    approvalLevels?: { level: string; tier: string }[];
  };
};
