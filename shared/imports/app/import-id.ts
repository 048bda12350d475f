import { createHash } from 'node:crypto';
import { canonicalJson, sha256Hex } from '../../ledger/domain/hash-chain.ts';
import type { ImportKind } from '../domain/import-kind.ts';

/** The file's SHA-256, hex. */
export const fileSha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * An import's id: a hash of its jurisdiction, kind and file, so the same file sent again names the
 * same record (32 hex digits: an id the API's paths accept).
 */
export const importIdOf = (jurisdiction: string, kind: ImportKind, sha256: string): string =>
  sha256Hex(canonicalJson(['import', jurisdiction, kind, sha256])).slice(0, 32);

/**
 * The Idempotency-Key a row is written under: the import and the row's place in it, so a resumed
 * import (a crash, a redelivered message, the same file again) replays the rows already written.
 */
export const rowIdempotencyKey = (importId: string, index: number): string => `import.${importId}.${index}`;
