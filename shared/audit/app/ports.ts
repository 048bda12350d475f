import type { Page } from '../../ledger/app/ports.ts';
import type { FundingLine } from '../../ledger/domain/funding-line.ts';
import type { LedgerEntry } from '../../ledger/domain/ledger-entry.ts';

/** A ledger query: one fiscal year, optionally narrowed; `from`/`to` are UTC ISO instants (to exclusive). */
export interface EntryQuery {
  fiscalYear: number;
  /** Only this jurisdiction's entries (those stored without one are the upgrade default's). */
  jurisdiction?: string;
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
  /** The allocation's jurisdiction; absent on digests of allocations stored before jurisdictions. */
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
  /** The auditor's jurisdiction; absent on entries recorded before jurisdictions. */
  jurisdiction?: string;
}

/** Read side of the ledger for auditors, plus the digests and the audit trail. */
export interface AuditStore {
  queryEntries(query: EntryQuery, limit: number, cursor?: string): Promise<Page<LedgerEntry>>;
  putDigests(records: DigestRecord[]): Promise<number>;
  digestsOfDate(date: string): Promise<DigestRecord[]>;
  digestsOfAllocation(allocationId: string): Promise<DigestRecord[]>;
  recordAudit(record: AuditRecord): Promise<void>;
  /** The audit log, newest first; with a commune, only the entries about it; with a jurisdiction, only its. */
  listAuditLog(
    limit: number,
    cursor?: string,
    commune?: string,
    jurisdiction?: string,
  ): Promise<Page<AuditRecord>>;
}
