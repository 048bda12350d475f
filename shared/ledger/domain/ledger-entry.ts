import type { EntryDocument } from '../../documents/domain/dossier-document.ts';
import { type Allocation, dimensionsOf } from './allocation.ts';
import type { DisbursementRequest, Payee } from './disbursement-request.ts';
import { hashOf } from './hash-chain.ts';

/** One side of a double entry: an account is debited or credited, never both. */
export interface Posting {
  account: string;
  debitVnd: number;
  creditVnd: number;
}

/** An append-only, hash-chained, double-entry ledger record of one allocation. */
export interface LedgerEntry {
  entryId: string;
  kind: 'disbursement';
  allocationId: string;
  fiscalYear: number;
  fundingLine: Allocation['fundingLine'];
  capitalType: Allocation['capitalType'];
  component: string;
  commune: string;
  /** The allocation's jurisdiction; absent on entries of allocations stored before jurisdictions. */
  jurisdiction?: string;
  requestId: string;
  amountVnd: number;
  payee: Payee;
  purpose: string;
  submittedBy: string;
  approvals: { level: string; by: string; at: string }[];
  /** The dossier's verified documents (type and SHA-256), hashed with the rest; absent when it had none. */
  documents?: EntryDocument[];
  postings: Posting[];
  postedAt: string;
  seq: number;
  prevHash: string;
  hash: string;
}

export const allocationAccount = (allocationId: string): string => `allocation:${allocationId}`;
export const payeeAccount = (payee: Payee): string => `payee:${payee.kind}:${payee.name}`;

/** Debit the allocation, credit the payee, the same amount. */
export const disbursementPostings = (allocationId: string, payee: Payee, amountVnd: number): Posting[] => [
  { account: allocationAccount(allocationId), debitVnd: amountVnd, creditVnd: 0 },
  { account: payeeAccount(payee), debitVnd: 0, creditVnd: amountVnd },
];

/**
 * Posting rule for an approved request: debit the allocation, credit the payee, the same amount,
 * chained after the allocation's current head.
 */
export const buildDisbursementEntry = (
  allocation: Pick<
    Allocation,
    | 'id'
    | 'fiscalYear'
    | 'fundingLine'
    | 'capitalType'
    | 'component'
    | 'commune'
    | 'jurisdiction'
    | 'headSeq'
    | 'headHash'
  >,
  request: DisbursementRequest,
  postedAt: string,
  documents?: readonly EntryDocument[],
): LedgerEntry => {
  const seq = allocation.headSeq + 1;
  const body: Omit<LedgerEntry, 'hash'> = {
    entryId: `${allocation.id}#${seq}`,
    kind: 'disbursement',
    allocationId: allocation.id,
    ...dimensionsOf(allocation),
    // Hashed with the rest; an allocation stored before jurisdictions chains entries without it.
    ...(allocation.jurisdiction !== undefined ? { jurisdiction: allocation.jurisdiction } : {}),
    requestId: request.id,
    amountVnd: request.amountVnd,
    payee: request.payee,
    purpose: request.purpose,
    submittedBy: request.submittedBy,
    approvals: request.approvals
      .filter((a) => a.decision === 'approve')
      .map(({ level, by, at }) => ({ level, by, at })),
    // Only when there are some: an entry without documents hashes exactly as before dossiers.
    ...(documents && documents.length > 0 ? { documents: [...documents] } : {}),
    postings: disbursementPostings(allocation.id, request.payee, request.amountVnd),
    postedAt,
    seq,
    prevHash: allocation.headHash,
  };
  return { ...body, hash: hashOf<LedgerEntry>(body) };
};

/** Debits minus credits of an entry: zero for every well-formed entry. */
export const imbalance = (entry: Pick<LedgerEntry, 'postings'>): number =>
  entry.postings.reduce((sum, p) => sum + p.debitVnd - p.creditVnd, 0);
