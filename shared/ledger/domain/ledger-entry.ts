import { type Allocation, dimensionsOf } from './allocation.ts';
import type { BudgetCodes, BudgetItem } from './budget-codes.ts';
import type { DisbursementRequest, Payee } from './disbursement-request.ts';
import { hashOf } from './hash-chain.ts';
import { type TreasuryVoucher, voucherOf } from './treasury-voucher.ts';

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
  postings: Posting[];
  /** The allocation's budget classification; absent (and not hashed) on entries without codes. */
  budgetCodes?: BudgetCodes;
  /** The request's item and sub-item; absent (and not hashed) when it had none. */
  budgetItem?: BudgetItem;
  /** The Treasury's voucher; absent (and not hashed) on entries posted without one. */
  treasuryVoucher?: TreasuryVoucher;
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
 * The codes and the voucher an entry carries, each only when present: an entry without them hashes
 * exactly as entries did before they existed.
 */
const dossierFieldsOf = (
  allocation: Pick<Allocation, 'budgetCodes'>,
  request: Pick<DisbursementRequest, 'budgetItem' | 'approvals'>,
) => {
  const voucher = voucherOf(request.approvals.filter((a) => a.decision === 'approve'));
  return {
    ...(allocation.budgetCodes ? { budgetCodes: allocation.budgetCodes } : {}),
    ...(request.budgetItem ? { budgetItem: request.budgetItem } : {}),
    ...(voucher ? { treasuryVoucher: voucher } : {}),
  };
};

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
    | 'budgetCodes'
    | 'headSeq'
    | 'headHash'
  >,
  request: DisbursementRequest,
  postedAt: string,
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
    postings: disbursementPostings(allocation.id, request.payee, request.amountVnd),
    ...dossierFieldsOf(allocation, request),
    postedAt,
    seq,
    prevHash: allocation.headHash,
  };
  return { ...body, hash: hashOf<LedgerEntry>(body) };
};

/** Debits minus credits of an entry: zero for every well-formed entry. */
export const imbalance = (entry: Pick<LedgerEntry, 'postings'>): number =>
  entry.postings.reduce((sum, p) => sum + p.debitVnd - p.creditVnd, 0);
