import type { DossierDocument } from '../../documents/domain/dossier-document.ts';
import type { Allocation } from '../../ledger/domain/allocation.ts';
import { canonicalJson } from '../../ledger/domain/hash-chain.ts';
import type { LedgerEntry } from '../../ledger/domain/ledger-entry.ts';
import type { DigestRecord } from '../app/ports.ts';

/**
 * The signed ledger archive of one jurisdiction's fiscal year ("lưu trữ sổ kế toán"): JSON Lines, one
 * record a line, in this order (docs/ledger-archive.md):
 *
 *   header · then per allocation (by id): allocation, its digests (by date), its entries (by seq), each
 *   entry followed by its request's dossier documents · signature
 *
 * The last line signs the SHA-256 of every byte before it (Ed25519), so a changed, added, removed or
 * reordered line breaks the signature; the chains and digests inside are re-verified on import as well,
 * so a file signed with a stolen key still cannot carry a broken chain into a store.
 */
export const ARCHIVE_FORMAT = 'giai-ngan/ledger-archive';
export const ARCHIVE_VERSION = 1;

export interface ArchiveCounts {
  allocations: number;
  entries: number;
  digests: number;
  documents: number;
}

export interface ArchiveHeader {
  record: 'header';
  format: typeof ARCHIVE_FORMAT;
  version: typeof ARCHIVE_VERSION;
  jurisdiction: string;
  fiscalYear: number;
  createdAt: string;
  counts: ArchiveCounts;
  /** The year's totals over its allocations, for a reader to compare at a glance. */
  totals: { assignedVnd: number; disbursedVnd: number };
}

export type AllocationLine = { record: 'allocation'; allocation: Allocation };
export type DigestLine = { record: 'digest'; digest: DigestRecord };
export type EntryLine = { record: 'entry'; entry: LedgerEntry };
/** A dossier document's record (its SHA-256 and object key; the file itself is not archived). */
export type DocumentLine = { record: 'document'; document: DossierDocument };

export interface SignatureLine {
  record: 'signature';
  algorithm: 'Ed25519';
  /** SHA-256 (hex) of every byte of the file before this line; the signed message is its 32 raw bytes. */
  sha256: string;
  /** The signer's public key: DER SubjectPublicKeyInfo, base64. Informative: trust comes from the key given to import. */
  publicKey: string;
  signature: string;
}

export type BodyLine = AllocationLine | DigestLine | EntryLine | DocumentLine;
export type ArchiveLine = ArchiveHeader | BodyLine | SignatureLine;

/** One line of the file, newline included: canonical JSON, so one content is always one byte string. */
export const archiveLine = (line: ArchiveLine): string => `${canonicalJson(line)}\n`;

/** The default file name of a year's archive. */
export const archiveFileName = (jurisdiction: string, fiscalYear: number) =>
  `ledger-${jurisdiction}-${fiscalYear}.jsonl`;

/** Why an archive is refused: a stable code and a sentence in Vietnamese and in English. */
export interface ArchiveProblem {
  code: ArchiveProblemCode;
  /** 1-based line of the file, when the problem is on one line. */
  line?: number;
  allocationId?: string;
  seq?: number;
  vi: string;
  en: string;
}

export type ArchiveProblemCode =
  | 'unreadable_line'
  | 'bad_header'
  | 'out_of_order'
  | 'wrong_scope'
  | 'chain_broken'
  | 'totals_differ'
  | 'document_missing'
  | 'count_mismatch'
  | 'signature_missing'
  | 'signature_invalid'
  | 'untrusted_key';

/** One problem as a person reads it: where, then Vietnamese, then English. */
export const describeProblem = (p: ArchiveProblem): string => {
  const where = [
    p.line !== undefined ? `dòng/line ${p.line}` : undefined,
    p.allocationId !== undefined ? `khoản vốn/allocation ${p.allocationId}` : undefined,
    p.seq !== undefined ? `seq ${p.seq}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  return `[${p.code}]${where ? ` ${where}:` : ''} ${p.vi} / ${p.en}`;
};
