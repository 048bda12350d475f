import {
  type FormerIdempotencyRecord,
  type IdempotencyRecord,
  IdempotencyRecordExists,
  type LedgerStore,
} from '../ledger/app/ports.ts';
import { canonicalJson, sha256Hex } from '../ledger/domain/hash-chain.ts';
import { IdempotencyKeyReusedError } from './errors.ts';
import { jurisdictionOf } from './tenancy.ts';

/** Where a record is stored: the caller's jurisdiction and the scope within it. */
export interface StoredScope {
  jurisdiction: string;
  scope: string;
}

/** Where a caller's Idempotency-Key is stored, and where a record of the previous format may still be. */
export interface IdempotencyScope extends StoredScope {
  /** Read, never written, while records of the previous format live (7 days after the upgrade). */
  legacyScope?: string;
}

/**
 * The key a caller's Idempotency-Key is stored under: per operation, target and caller. The parts are
 * hashed as one JSON array, so no separator in a `sub`, a key or a target can shift a boundary between
 * them (`a#b` + `c` and `a` + `b#c` are two scopes). The operation stays readable in front: the outbox
 * relay's IAM condition reads `J#*#IDEM#decide-request#*`. The record is kept in the caller's
 * jurisdiction, so a key is never looked up in another's.
 *
 * The previous format, `operation#target#sub#key`, is looked up too when it is unambiguous: targets
 * are ids without `#` and keys may no longer hold one, so a `sub` without `#` leaves one reading of it.
 */
export const idempotencyScope = (
  operation: string,
  caller: { sub: string; jurisdiction?: string | undefined },
  key: string,
  target = '',
): IdempotencyScope => {
  const { sub } = caller;
  return {
    jurisdiction: jurisdictionOf(caller),
    scope: `${operation}#${sha256Hex(canonicalJson([operation, target, sub, key]))}`,
    ...(![sub, key, target].some((part) => part.includes('#'))
      ? { legacyScope: `${operation}#${target}#${sub}#${key}` }
      : {}),
  };
};

/** The scopes a key's record may be under, the current format's first: what a batch read asks for. */
export const scopesOf = (key: IdempotencyScope): string[] =>
  key.legacyScope === undefined ? [key.scope] : [key.scope, key.legacyScope];

export const fingerprint = (body: unknown): string => sha256Hex(canonicalJson(body ?? null));

/** A write's result, and whether it is the first result of its Idempotency-Key given again. */
export interface Replayable<R> {
  result: R;
  replayed: boolean;
}

type StoredRecord = IdempotencyRecord | FormerIdempotencyRecord;

/**
 * The first result a record holds. A former record holds the first answer's body instead: the route's
 * view of the result, which its view leaves as it is (the views are projections), so the edge builds
 * the same answer from it.
 */
const firstResult = (record: StoredRecord): unknown => ('result' in record ? record.result : record.body);

const replayOrReject = <R>(record: StoredRecord, print: string): Replayable<R> => {
  if (record.fingerprint !== print) {
    throw new IdempotencyKeyReusedError(
      'This Idempotency-Key was already used with a different body; use a new key for a new request.',
    );
  }
  return { result: firstResult(record) as R, replayed: true };
};

/**
 * Runs a write once per key: a retry with the same key and body gets the first result, the same key
 * with another body is refused. `run` stores the record in the same transaction as its own writes
 * and throws {@link IdempotencyRecordExists} when a concurrent call with the same key won.
 *
 * A retry sent while its first attempt is still running (the client gave up on it) can find no record
 * yet, then read what that attempt wrote: a second advance of the same contract is refused as over its
 * limit by the first one's own reservation. Whatever `run` throws, the record is read again: when a
 * call with the same key has stored it meanwhile, its result is the answer, not the refusal.
 */
export const idempotent = async <R>(
  store: Pick<LedgerStore, 'getIdempotency'>,
  key: IdempotencyScope | undefined,
  print: string,
  run: (stored?: StoredScope) => Promise<R>,
  onReplay?: (record: StoredRecord) => Promise<void>,
  /** The record under the key's scopes, already read (with what `run` needs, in one batch: {@link scopesOf}). */
  prefetched?: { record?: StoredRecord | undefined },
): Promise<Replayable<R>> => {
  if (key === undefined) return { result: await run(), replayed: false };
  const { jurisdiction, scope, legacyScope } = key;
  const existing = prefetched
    ? prefetched.record
    : ((await store.getIdempotency(jurisdiction, scope)) ??
      (legacyScope === undefined ? undefined : await store.getIdempotency(jurisdiction, legacyScope)));
  if (existing) {
    const replay = replayOrReject<R>(existing, print);
    await onReplay?.(existing);
    return replay;
  }
  try {
    return { result: await run({ jurisdiction, scope }), replayed: false };
  } catch (error) {
    // A call with this key may have stored its record while this one ran (see above). When the record
    // cannot be read, what `run` threw is the answer (a lost race's own error aside, as before).
    const winner = await store.getIdempotency(jurisdiction, scope).catch((readError: unknown) => {
      if (error instanceof IdempotencyRecordExists) throw readError;
      return undefined;
    });
    if (!winner) throw error;
    const replay = replayOrReject<R>(winner, print);
    await onReplay?.(winner);
    return replay;
  }
};
