import { IdempotencyKeyReusedError } from '../domain/errors.ts';
import { canonicalJson, sha256Hex } from '../domain/hash-chain.ts';
import {
  type ApiResult,
  type IdempotencyRecord,
  IdempotencyRecordExists,
  type LedgerStore,
} from './ports.ts';

/** The key a caller's Idempotency-Key is stored under: per operation and per caller. */
export const idempotencyScope = (operation: string, sub: string, key: string, target = '') =>
  `${operation}#${target}#${sub}#${key}`;

export const fingerprint = (body: unknown): string => sha256Hex(canonicalJson(body ?? null));

const replayOrReject = (record: IdempotencyRecord, print: string): ApiResult => {
  if (record.fingerprint !== print) {
    throw new IdempotencyKeyReusedError(
      'This Idempotency-Key was already used with a different body; use a new key for a new request.',
    );
  }
  return { statusCode: record.statusCode, body: record.body, headers: { 'idempotent-replay': 'true' } };
};

/**
 * Runs a write once per key: a retry with the same key and body gets the first answer, the same key
 * with another body is refused. `run` stores the record in the same transaction as its own writes
 * and throws {@link IdempotencyRecordExists} when a concurrent call with the same key won.
 */
export const idempotent = async (
  store: Pick<LedgerStore, 'getIdempotency'>,
  scope: string | undefined,
  print: string,
  run: (scope?: string) => Promise<ApiResult>,
  onReplay?: (record: IdempotencyRecord) => Promise<void>,
): Promise<ApiResult> => {
  if (scope === undefined) return run();
  const existing = await store.getIdempotency(scope);
  if (existing) {
    const result = replayOrReject(existing, print);
    await onReplay?.(existing);
    return result;
  }
  try {
    return await run(scope);
  } catch (error) {
    if (!(error instanceof IdempotencyRecordExists)) throw error;
    const winner = await store.getIdempotency(scope);
    if (!winner) throw error;
    const result = replayOrReject(winner, print);
    await onReplay?.(winner);
    return result;
  }
};
