import type { EntryDocument } from '../../documents/domain/dossier-document.ts';
import { type Allocation, dimensionsOf } from './allocation.ts';
import type { BudgetCodes, BudgetItem } from './budget-codes.ts';
import { type ContractClaim, cashOutVnd, claimOf } from './contract.ts';
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
  /**
   * `disbursement`: a direct request (every entry before contracts); `advance` and `payment`: a contract's
   * (see {@link contractPostings}). amountVnd is always the cash out of the allocation. `carry-out` and
   * `carry-in`: the year-end close moving an unspent balance to a next-year allocation (no cash out; see
   * year-end-close.ts). `reallocation-out` and `reallocation-in`: a reallocation moving assigned capital
   * between two allocations of one year under a numbered decision (no cash out; see reallocation.ts).
   */
  kind:
    | 'disbursement'
    | 'advance'
    | 'payment'
    | 'carry-out'
    | 'carry-in'
    | 'reallocation-out'
    | 'reallocation-in';
  /** The contract of an advance or payment. */
  contractId?: string;
  /** A payment's gross value of work paid; amountVnd is its net, grossVnd − recoveryVnd. */
  grossVnd?: number;
  /** The advance a payment recovers (no cash: moved from the advance receivable to the contract). */
  recoveryVnd?: number;
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
  /** The allocation's budget classification; absent (and not hashed) on entries without codes. */
  budgetCodes?: BudgetCodes;
  /** The request's item and sub-item; absent (and not hashed) when it had none. */
  budgetItem?: BudgetItem;
  /** The Treasury's voucher; absent (and not hashed) on entries posted without one. */
  treasuryVoucher?: TreasuryVoucher;
  /** A reallocation entry's decision and counterpart allocation; absent (and not hashed) on every other entry. */
  reallocation?: ReallocationRef;
  postedAt: string;
  seq: number;
  prevHash: string;
  hash: string;
}

/**
 * What a reallocation entry records of its cause ("điều chỉnh kế hoạch vốn"): the reallocation, its
 * decision, the move (its index in the decision's moves) and the allocation on the other side of it.
 */
export interface ReallocationRef {
  reallocationId: string;
  decisionNumber: string;
  decidedOn: string;
  move: number;
  counterpartAllocationId: string;
}

/**
 * True for the entries that move assigned capital rather than pay it out: a year-end carry-over's or a
 * reallocation's. They chain like any entry and disburse nothing.
 */
export const movesCapital = (e: { kind?: LedgerEntry['kind'] }): boolean =>
  e.kind === 'carry-out' ||
  e.kind === 'carry-in' ||
  e.kind === 'reallocation-out' ||
  e.kind === 'reallocation-in';

/** True for the entries that bring capital into their allocation (credited to its account). */
export const bringsCapitalIn = (e: { kind?: LedgerEntry['kind'] }): boolean =>
  e.kind === 'carry-in' || e.kind === 'reallocation-in';

export const allocationAccount = (allocationId: string): string => `allocation:${allocationId}`;
export const payeeAccount = (payee: Payee): string => `payee:${payee.kind}:${payee.name}`;

/** Debit the allocation, credit the payee, the same amount. */
export const disbursementPostings = (allocationId: string, payee: Payee, amountVnd: number): Posting[] => [
  { account: allocationAccount(allocationId), debitVnd: amountVnd, creditVnd: 0 },
  { account: payeeAccount(payee), debitVnd: 0, creditVnd: amountVnd },
];

/** The advance paid on a contract and not yet recovered: a receivable, debited by advances, credited by recoveries. */
export const advanceAccount = (contractId: string): string => `advance:${contractId}`;
/** The contract's account: credited by advances (work owed for them), debited as payments recover them. */
export const contractAccount = (contractId: string): string => `contract:${contractId}`;

/**
 * A contract request's postings. The cash legs are a direct request's (debit the allocation, credit the
 * payee, the cash out); an advance also opens the receivable (debit `advance:<c>`, credit `contract:<c>`)
 * and a payment's recovery closes part of it (debit `contract:<c>`, credit `advance:<c>`), no cash moved.
 * Each pair balances, so every entry does and the ledger sums to zero; `advance:<c>` holds the advance
 * outstanding.
 */
export const contractPostings = (
  allocationId: string,
  payee: Payee,
  claim: ContractClaim & { contractId: string },
): Posting[] => {
  const cash = claim.kind === 'advance' ? claim.amountVnd : claim.amountVnd - claim.recoveryVnd;
  const receivable = claim.kind === 'advance' ? claim.amountVnd : claim.recoveryVnd;
  const [debited, credited] =
    claim.kind === 'advance'
      ? [advanceAccount(claim.contractId), contractAccount(claim.contractId)]
      : [contractAccount(claim.contractId), advanceAccount(claim.contractId)];
  return [
    ...disbursementPostings(allocationId, payee, cash),
    ...(receivable > 0
      ? [
          { account: debited, debitVnd: receivable, creditVnd: 0 },
          { account: credited, debitVnd: 0, creditVnd: receivable },
        ]
      : []),
  ];
};

/** The kind, contract and amounts of a contract request's entry; nothing for a direct one (its hash is unchanged). */
const contractFields = (claim: ReturnType<typeof claimOf>) => {
  if (!claim) return {};
  return {
    kind: claim.kind,
    contractId: claim.contractId,
    ...(claim.kind === 'payment' ? { grossVnd: claim.amountVnd, recoveryVnd: claim.recoveryVnd } : {}),
  };
};

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

/** What an entry takes from its allocation: its dimensions, jurisdiction, codes and chain head. */
export type ChainedAllocation = Pick<
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
>;

/**
 * Posting rule for an approved request: debit the allocation, credit the payee, the same amount,
 * chained after the allocation's current head.
 */
export const buildDisbursementEntry = (
  allocation: ChainedAllocation,
  request: DisbursementRequest,
  postedAt: string,
  documents?: readonly EntryDocument[],
): LedgerEntry => {
  const seq = allocation.headSeq + 1;
  const claim = claimOf(request);
  const body: Omit<LedgerEntry, 'hash'> = {
    entryId: `${allocation.id}#${seq}`,
    kind: 'disbursement',
    allocationId: allocation.id,
    ...dimensionsOf(allocation),
    // Hashed with the rest; an allocation stored before jurisdictions chains entries without it.
    ...(allocation.jurisdiction !== undefined ? { jurisdiction: allocation.jurisdiction } : {}),
    ...contractFields(claim),
    requestId: request.id,
    amountVnd: cashOutVnd(request),
    payee: request.payee,
    purpose: request.purpose,
    submittedBy: request.submittedBy,
    approvals: request.approvals
      .filter((a) => a.decision === 'approve')
      .map(({ level, by, at }) => ({ level, by, at })),
    // Only when there are some: an entry without documents hashes exactly as before dossiers.
    ...(documents && documents.length > 0 ? { documents: [...documents] } : {}),
    postings: claim
      ? contractPostings(allocation.id, request.payee, claim)
      : disbursementPostings(allocation.id, request.payee, request.amountVnd),
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
