import type { Allocation } from '../../../shared/ledger/domain/allocation.ts';
import type { Level } from '../../../shared/ledger/domain/approval-policy.ts';
import type {
  ApprovalEvent,
  DisbursementRequest,
} from '../../../shared/ledger/domain/disbursement-request.ts';
import { GENESIS_HASH } from '../../../shared/ledger/domain/hash-chain.ts';
import { buildDisbursementEntry, type LedgerEntry } from '../../../shared/ledger/domain/ledger-entry.ts';
import type { Actor } from '../../../shared/platform/access.ts';

/** Test data builders for the domain: a valid default, overridden where a test cares. */

export const T0 = '2024-03-01T08:00:00.000Z';

export const anAllocation = (overrides: Partial<Allocation> = {}): Allocation => ({
  id: 'alloc-1',
  fiscalYear: 2024,
  fundingLine: 'central',
  capitalType: 'investment',
  component: 'DA5',
  commune: 'A Tiêng',
  title: 'Safe houses for poor households',
  assignedVnd: 5_000_000_000,
  reservedVnd: 0,
  disbursedVnd: 0,
  availableVnd: 5_000_000_000,
  headSeq: 0,
  headHash: GENESIS_HASH,
  createdAt: T0,
  createdBy: 'planner-1',
  ...overrides,
});

export const aRequest = (overrides: Partial<DisbursementRequest> = {}): DisbursementRequest => {
  const chain = overrides.chain ?? ['district', 'province', 'treasury'];
  return {
    id: 'req-1',
    allocationId: 'alloc-1',
    fiscalYear: 2024,
    fundingLine: 'central',
    capitalType: 'investment',
    component: 'DA5',
    commune: 'A Tiêng',
    amountVnd: 40_000_000,
    payee: { name: 'Hộ Bling Văn A', kind: 'household' },
    purpose: 'New house',
    status: 'pending_approval',
    chain,
    nextLevel: chain[0],
    approvals: [],
    submittedBy: 'maker-1',
    createdAt: T0,
    updatedAt: T0,
    pendingSince: T0,
    version: 1,
    ...overrides,
  };
};

export const anActor = (sub: string, groups: string[], commune?: string): Actor => ({
  sub,
  groups,
  ...(commune !== undefined ? { commune } : {}),
});

export const anEvent = (
  request: Pick<DisbursementRequest, 'id' | 'fundingLine'>,
  level: Level,
  actor: Actor,
  decision: 'approve' | 'reject' = 'approve',
  eventId = `evt-${level}-${actor.sub}`,
): ApprovalEvent => ({
  eventId,
  requestId: request.id,
  fundingLine: request.fundingLine,
  level,
  decision,
  actor,
  decidedAt: T0,
});

/** The entries of `amounts.length` postings on one allocation, chained from genesis, and the allocation's head after them. */
export const aChainOfEntries = (
  amounts: readonly number[],
  allocation: Allocation = anAllocation(),
  /** Fields of the i-th request (from 0) beyond its id, allocation and amount, e.g. a payee. */
  requestFields: (i: number) => Partial<DisbursementRequest> = () => ({}),
): { entries: LedgerEntry[]; head: { seq: number; hash: string } } => {
  let head = { seq: allocation.headSeq, hash: allocation.headHash };
  const entries = amounts.map((amountVnd, i) => {
    const entry = buildDisbursementEntry(
      { ...allocation, headSeq: head.seq, headHash: head.hash },
      aRequest({
        ...requestFields(i),
        id: `req-${i + 1}`,
        allocationId: allocation.id,
        amountVnd,
        status: 'disbursed',
      }),
      `2024-04-${String(i + 1).padStart(2, '0')}T00:00:00.000Z`,
    );
    head = { seq: entry.seq, hash: entry.hash };
    return entry;
  });
  return { entries, head };
};
