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

/** A chain head recorded earlier (a daily digest): the entry at `seq` must still have `hash`. */
export interface ChainAnchor {
  seq: number;
  hash: string;
  /** Where the anchor comes from, for the report (e.g. "digest of 2024-09-30"). */
  label: string;
}

/**
 * Verifies entries (in stored order) link from seq 1 with intact hashes, end at the expected head,
 * and still match every anchor recorded earlier — so even a consistent rewrite of the chain after an
 * anchor is caught. Lists every break found, by seq.
 */
export const verifyChain = (
  entries: readonly Chained[],
  expectedHead?: { seq: number; hash: string },
  anchors: readonly ChainAnchor[] = [],
) => {
  const broken: ChainBreak[] = [];
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  const present = new Set(entries.map((e) => e.seq));
  for (const entry of entries) {
    if (entry.seq !== expectedSeq) {
      const reason =
        entry.seq > expectedSeq && !present.has(expectedSeq)
          ? `entry ${expectedSeq} is missing (found seq ${entry.seq})`
          : `entry ${expectedSeq} is out of place (found seq ${entry.seq}): entries were moved or swapped`;
      broken.push({ seq: expectedSeq, reason });
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
  for (const anchor of anchors) {
    if (anchor.seq === 0) continue;
    const entry = entries.find((e) => e.seq === anchor.seq);
    if (!entry)
      broken.push({ seq: anchor.seq, reason: `entry ${anchor.seq} recorded in the ${anchor.label} is gone` });
    else if (entry.hash !== anchor.hash) {
      broken.push({
        seq: anchor.seq,
        reason: `entry ${anchor.seq} differs from the ${anchor.label}: the chain was rewritten`,
      });
    }
  }
  return {
    valid: broken.length === 0,
    checked: entries.length,
    headHash: last?.hash ?? GENESIS_HASH,
    broken,
  };
};
