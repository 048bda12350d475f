import { createHash } from 'node:crypto';

/** prevHash of an allocation's first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every depth, so equal values always hash alike. */
export const canonicalJson = (value: unknown): string => {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
};

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** A link of the chain: its own hash covers every other field, prevHash included. */
export interface Chained {
  seq: number;
  prevHash: string;
  hash: string;
}

export const hashOf = <T extends Chained>(entry: Omit<T, 'hash'> | T): string => {
  const { hash: _, ...body } = entry as T;
  return sha256Hex(canonicalJson(body));
};

export interface ChainBreak {
  seq: number;
  reason: string;
}

/** Verifies entries (ordered by seq) link from seq 1 with intact hashes; lists every break found. */
export const verifyChain = (entries: readonly Chained[], expectedHead?: { seq: number; hash: string }) => {
  const broken: ChainBreak[] = [];
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  for (const entry of entries) {
    if (entry.seq !== expectedSeq) {
      broken.push({ seq: expectedSeq, reason: `entry ${expectedSeq} is missing (found seq ${entry.seq})` });
      expectedSeq = entry.seq;
    }
    if (entry.prevHash !== prevHash)
      broken.push({ seq: entry.seq, reason: 'prevHash does not match the previous entry' });
    if (hashOf(entry) !== entry.hash)
      broken.push({ seq: entry.seq, reason: 'hash does not match the entry content' });
    prevHash = entry.hash;
    expectedSeq += 1;
  }
  const last = entries.at(-1);
  if (
    expectedHead &&
    (expectedHead.seq !== (last?.seq ?? 0) || expectedHead.hash !== (last?.hash ?? GENESIS_HASH))
  ) {
    broken.push({ seq: expectedHead.seq, reason: 'chain head does not match the allocation head' });
  }
  return {
    valid: broken.length === 0,
    checked: entries.length,
    headHash: last?.hash ?? GENESIS_HASH,
    broken,
  };
};
