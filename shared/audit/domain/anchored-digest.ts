import * as z from 'zod';
import { type ChainAnchor, canonicalJson, sha256Hex } from '../../ledger/domain/hash-chain.ts';

/**
 * The daily digest as it is kept outside the table (issue 21, "proof outside the table"): one canonical
 * JSON document per jurisdiction and day, holding every allocation's chain head, with its own SHA-256.
 * Written once (never overwritten) to a store the table's writers cannot rewrite, and read back by
 * verification: a chain and its in-table digest edited together still disagree with it.
 */

/** One allocation's chain head as the day's document records it. */
export interface AnchoredHead {
  allocationId: string;
  fiscalYear: number;
  seq: number;
  hash: string;
}

/** The day's document: what is hashed and stored, byte for byte its canonical JSON. */
export interface DigestDocument {
  format: typeof DIGEST_DOCUMENT_FORMAT;
  jurisdiction: string;
  /** The day in Vietnam (YYYY-MM-DD) the digest was recorded on. */
  date: string;
  /** When the job recorded it (UTC ISO). */
  recordedAt: string;
  /** Every allocation's head, sorted by allocation id. */
  heads: AnchoredHead[];
}

/** Names the document's format and version, so a later reader knows what it holds. */
export const DIGEST_DOCUMENT_FORMAT = 'giai-ngan/ledger-digest@1';

/** The object key of a jurisdiction's day: `ledger-digests/<jurisdiction>/<YYYY-MM-DD>.json`. */
export const digestObjectKey = (jurisdiction: string, date: string): string =>
  `ledger-digests/${jurisdiction}/${date}.json`;

/** The key prefix of one jurisdiction's documents (sorted by day: the last key is the latest day). */
export const digestObjectPrefix = (jurisdiction: string): string => `ledger-digests/${jurisdiction}/`;

/** The day a key names, or undefined for a key that is not a digest document's. */
export const dateOfDigestKey = (key: string): string | undefined =>
  /^ledger-digests\/[^/]+\/(\d{4}-\d{2}-\d{2})\.json$/.exec(key)?.[1];

/** The day's document, its canonical body (the stored bytes) and the SHA-256 of that body. */
export const buildDigestDocument = (
  jurisdiction: string,
  date: string,
  recordedAt: string,
  heads: readonly AnchoredHead[],
): { document: DigestDocument; body: string; sha256: string } => {
  const document: DigestDocument = {
    format: DIGEST_DOCUMENT_FORMAT,
    jurisdiction,
    date,
    recordedAt,
    heads: heads
      .map((h) => ({ allocationId: h.allocationId, fiscalYear: h.fiscalYear, seq: h.seq, hash: h.hash }))
      .sort((a, b) => (a.allocationId < b.allocationId ? -1 : a.allocationId > b.allocationId ? 1 : 0)),
  };
  const body = canonicalJson(document);
  return { document, body, sha256: sha256Hex(body) };
};

const HEX64 = /^[0-9a-f]{64}$/;
const DocumentSchema = z.strictObject({
  format: z.literal(DIGEST_DOCUMENT_FORMAT),
  jurisdiction: z.string().min(1),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  recordedAt: z.string().min(1),
  heads: z.array(
    z.strictObject({
      allocationId: z.string().min(1),
      fiscalYear: z.number().int(),
      seq: z.number().int().min(0),
      hash: z.string().regex(HEX64),
    }),
  ),
});

/** A stored copy as read back: its bytes and the SHA-256 stored beside them (object metadata). */
export interface StoredDigestCopy {
  key: string;
  body: string;
  /** The SHA-256 recorded when it was written (absent if the store lost it). */
  sha256?: string;
}

/** A stored copy checked: the document, or why it cannot be trusted. */
export type ReadDigestCopy =
  | { ok: true; key: string; document: DigestDocument; sha256: string }
  | { ok: false; key: string; problem: string };

/**
 * Checks a stored copy: canonical JSON of the expected shape, for the jurisdiction and day its key
 * names, whose SHA-256 is the one written beside it.
 */
export const readDigestCopy = (
  copy: StoredDigestCopy,
  jurisdiction: string,
  date: string,
): ReadDigestCopy => {
  const sha256 = sha256Hex(copy.body);
  const fail = (problem: string): ReadDigestCopy => ({ ok: false, key: copy.key, problem });
  if (copy.sha256 !== undefined && copy.sha256 !== sha256)
    return fail(`its SHA-256 is ${sha256}, not the ${copy.sha256} recorded when it was written`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(copy.body);
  } catch {
    return fail('it is not JSON');
  }
  const result = DocumentSchema.safeParse(parsed);
  if (!result.success) return fail('it is not a digest document');
  const document = result.data;
  if (canonicalJson(document) !== copy.body) return fail('it is not in canonical form');
  if (document.jurisdiction !== jurisdiction || document.date !== date)
    return fail(`it is the digest of ${document.jurisdiction} on ${document.date}`);
  return { ok: true, key: copy.key, document, sha256 };
};

/** One day's digest of an allocation as the table holds it. */
export interface TableDigest {
  date: string;
  seq: number;
  hash: string;
}

/** A finding of the comparison: the day it is about, and what is wrong. */
export interface AnchorFinding {
  date: string;
  seq: number;
  reason: string;
  code: 'anchor_missing' | 'anchor_unreadable' | 'digest_missing';
}

/**
 * Compares one allocation's in-table digests with the anchored copies and returns the checkpoints the
 * chain must pass (each anchored head: `entry <seq>` must have that hash) and what is missing:
 * - a day the table says was digested with no anchored copy (`copies` has no entry, or undefined);
 * - an anchored copy that cannot be trusted (edited, not canonical, another day's);
 * - the latest anchored copy listing the allocation on a day the table holds no digest of (a deleted
 *   in-table digest): its head is still a checkpoint.
 * Digests of days before `anchoredFrom` (the first anchored day) were written before anchoring began
 * (a deployment from before it): they have no anchored copy to miss, and only the chain checks them.
 * Pure: the caller reads the copies (`copies`: by day, the days the table names and the latest).
 */
export const compareWithAnchors = (
  allocationId: string,
  tableDigests: readonly TableDigest[],
  copies: ReadonlyMap<string, ReadDigestCopy | undefined>,
  latestDate?: string,
  anchoredFrom?: string,
): { checkpoints: ChainAnchor[]; findings: AnchorFinding[] } => {
  const checkpoints: ChainAnchor[] = [];
  const findings: AnchorFinding[] = [];
  const headOf = (copy: ReadDigestCopy & { ok: true }) =>
    copy.document.heads.find((h) => h.allocationId === allocationId);
  const label = (date: string) => `anchored digest of ${date}`;
  const days = new Set<string>();
  for (const digest of [...tableDigests].sort((a, b) => (a.date < b.date ? -1 : 1))) {
    days.add(digest.date);
    if (anchoredFrom !== undefined && digest.date < anchoredFrom) continue;
    const copy = copies.get(digest.date);
    if (copy === undefined) {
      findings.push({
        date: digest.date,
        seq: digest.seq,
        code: 'anchor_missing',
        reason: `the table holds a digest of ${digest.date} but no anchored copy of that day exists`,
      });
      continue;
    }
    if (!copy.ok) {
      findings.push({
        date: digest.date,
        seq: digest.seq,
        code: 'anchor_unreadable',
        reason: `the anchored digest of ${digest.date} (${copy.key}) cannot be trusted: ${copy.problem}`,
      });
      continue;
    }
    // Not listed: the allocation was created after the day's copy was written (the job runs again
    // later that day locally, and rewrites the table's digests of the day); the next day's lists it.
    const head = headOf(copy);
    if (head) checkpoints.push({ seq: head.seq, hash: head.hash, label: label(digest.date) });
  }
  const latest = latestDate === undefined ? undefined : copies.get(latestDate);
  if (latestDate !== undefined && latest?.ok && !days.has(latestDate)) {
    const head = headOf(latest);
    if (head) {
      checkpoints.push({ seq: head.seq, hash: head.hash, label: label(latestDate) });
      findings.push({
        date: latestDate,
        seq: head.seq,
        code: 'digest_missing',
        reason: `the anchored digest of ${latestDate} lists this allocation but the table holds no digest of that day`,
      });
    }
  }
  return { checkpoints, findings };
};
