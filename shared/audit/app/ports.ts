import type { Page } from '../../ledger/app/ports.ts';
import type { FundingLine } from '../../ledger/domain/funding-line.ts';
import type { LedgerEntry } from '../../ledger/domain/ledger-entry.ts';
import type { StoredDigestCopy } from '../domain/anchored-digest.ts';

/**
 * A ledger query: one fiscal year of one jurisdiction, optionally narrowed; `from`/`to` are UTC ISO
 * instants (to exclusive).
 */
export interface EntryQuery {
  /** The jurisdiction whose entries are read (the caller's): its entries are in its own partitions. */
  jurisdiction: string;
  fiscalYear: number;
  fundingLine?: FundingLine;
  commune?: string;
  component?: string;
  allocationId?: string;
  from?: string;
  to?: string;
}

/** Each allocation's chain head, recorded daily, so a later rewrite of a whole chain is caught. */
export interface DigestRecord {
  date: string;
  allocationId: string;
  fiscalYear: number;
  /**
   * The allocation's jurisdiction, in whose partitions the digest is kept; absent on digests of
   * allocations stored before jurisdictions (the upgrade default's).
   */
  jurisdiction?: string;
  seq: number;
  hash: string;
  recordedAt: string;
}

/** One query made by an auditor: who, what, with which filters, when, how many rows. */
export interface AuditRecord {
  id: string;
  at: string;
  by: string;
  groups: string[];
  route: string;
  filters: Record<string, unknown>;
  rows: number;
  /**
   * The commune the read was confined to, which makes the entry "about" it: the auditor's own
   * commune claim, else the `commune` filter of the query. Absent for district-wide reads.
   */
  commune?: string;
  /**
   * The auditor's jurisdiction, whose audit log holds the entry; absent on entries recorded before
   * jurisdictions (the upgrade default's).
   */
  jurisdiction?: string;
}

/**
 * Read side of the ledger for auditors, plus the digests and the audit trail. Every read names its
 * jurisdiction and reads that jurisdiction's partitions only (platform/table/keys.ts); every write keeps
 * a record in its own jurisdiction (`jurisdictionOf(record)`).
 */
export interface AuditStore {
  queryEntries(query: EntryQuery, limit: number, cursor?: string): Promise<Page<LedgerEntry>>;
  /** A page of one allocation's entries, newest first (a statement page): one Query of its partition. */
  entriesNewestFirst(
    jurisdiction: string,
    allocationId: string,
    limit: number,
    cursor?: string,
  ): Promise<Page<LedgerEntry>>;
  putDigests(records: DigestRecord[]): Promise<number>;
  digestsOfDate(jurisdiction: string, date: string): Promise<DigestRecord[]>;
  digestsOfAllocation(jurisdiction: string, allocationId: string): Promise<DigestRecord[]>;
  recordAudit(record: AuditRecord): Promise<void>;
  /** One jurisdiction's audit log, newest first; with a commune, only the entries about it. */
  listAuditLog(
    jurisdiction: string,
    limit: number,
    cursor?: string,
    commune?: string,
  ): Promise<Page<AuditRecord>>;
}

/**
 * Where the daily digest documents are anchored outside the table (S3 with Object Lock in AWS, the
 * local S3-compatible server locally): write once, never overwrite, read back.
 */
export interface DigestAnchorStore {
  /**
   * Writes a document under `key` unless an object is there already (then nothing is written):
   * `created`, or `existed`. `retainUntil`: the Object Lock retention it is written with (AWS).
   */
  putIfAbsent(key: string, body: string, sha256: string, retainUntil: Date): Promise<'created' | 'existed'>;
  /** The stored copy under `key` (its bytes and the SHA-256 written beside them), or undefined. */
  get(key: string): Promise<StoredDigestCopy | undefined>;
  /** The greatest key under `prefix` (the latest day's document), or undefined when there is none. */
  lastKey(prefix: string): Promise<string | undefined>;
  /** The least key under `prefix` (the first anchored day's document), or undefined when there is none. */
  firstKey(prefix: string): Promise<string | undefined>;
}
