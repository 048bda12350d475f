import { AppError } from '../../platform/errors.ts';
import { samePerson } from '../../platform/person.ts';
import { assertIncreaseFits } from '../../platform/total-range.ts';
import type { IsoDate } from '../../platform/vn-calendar.ts';
import { type Allocation, dimensionsOf } from './allocation.ts';
import { assertPeriodHolds } from './disbursement-deadline.ts';
import { hashOf } from './hash-chain.ts';
import { allocationAccount, type ChainedAllocation, type LedgerEntry } from './ledger-entry.ts';
import { assertYearOpen } from './year-end-close.ts';

/**
 * How many moves one reallocation may hold at most, whatever the config says: all of them are written in
 * one DynamoDB transaction (at most 100 items): per move two entries and at most two allocations, plus
 * the reallocation's record and its Idempotency-Key's: 4 × 24 + 2 = 98.
 */
export const MAX_MOVES_PER_TRANSACTION = 24;

/** One move of a reallocation: assigned capital taken from one allocation and given to another. */
export interface ReallocationMove {
  fromAllocationId: string;
  toAllocationId: string;
  amountVnd: number;
}

export const REALLOCATION_STATUSES = ['pending_approval', 'applied', 'rejected'] as const;
export type ReallocationStatus = (typeof REALLOCATION_STATUSES)[number];

/** A province approver's decision on a pending reallocation (maker–checker, four eyes). */
export interface ReallocationDecision {
  decision: 'approve' | 'reject';
  by: string;
  email?: string;
  at: string;
  comment?: string;
}

/**
 * A reallocation ("điều chỉnh kế hoạch vốn"): assigned capital moved between allocations of one
 * jurisdiction and fiscal year under a numbered decision. All its moves apply together or none does;
 * each is an entry on both allocations' chains, and the total assigned is conserved. Where the
 * jurisdiction's policy asks for it, it waits (`pending_approval`) for a province approver other than
 * its maker, and applies on that approval.
 */
export interface Reallocation {
  id: string;
  jurisdiction: string;
  fiscalYear: number;
  decisionNumber: string;
  decidedOn: IsoDate;
  reason: string;
  moves: ReallocationMove[];
  /** The capital moved: the sum of the moves (taken out, and given in, alike). */
  totalVnd: number;
  /** The communes of the allocations it touches: a commune-scoped reader sees those touching theirs. */
  communes: string[];
  status: ReallocationStatus;
  requestedBy: string;
  requestedByEmail?: string;
  requestedAt: string;
  /** The approver's decision; absent when none was needed or none is made yet. */
  decision?: ReallocationDecision;
  /** When its moves were applied (status `applied`). */
  appliedAt?: string;
  /** Bumped by every change of the record: a decision is written only over the version it read. */
  version: number;
}

/** How a jurisdiction reallocates (shared/platform/config/reallocation-policy). */
export interface ReallocationRules {
  /** `none`: a reallocation applies at once; `province`: it waits for a province approver (four eyes). */
  approval: 'none' | 'province';
  /** The most moves one reallocation may hold (at most {@link MAX_MOVES_PER_TRANSACTION}). */
  maxMoves: number;
  /** Capital moves only between allocations of one funding line. */
  sameFundingLine: boolean;
  /** Capital moves only between allocations of one capital type. */
  sameCapitalType: boolean;
}

/** The rules of each jurisdiction. */
export interface ReallocationPolicy {
  rulesFor(jurisdiction: string): ReallocationRules;
}

/** A reallocation that moves more than the source's available balance ("never below what is committed"). */
export class ReallocationInsufficientFundsError extends AppError {
  readonly code = 'insufficient_funds';
  readonly status = 422;
}

/** More moves than the jurisdiction's policy (and one transaction) allows. */
export class TooManyMovesError extends AppError {
  readonly code = 'too_many_moves';
  readonly status = 422;
}

/** A move from an allocation to itself, or an allocation that both gives and receives. */
export class CircularReallocationError extends AppError {
  readonly code = 'circular_reallocation';
  readonly status = 422;
}

/** Allocations of different fiscal years in one reallocation. */
export class FiscalYearMismatchError extends AppError {
  readonly code = 'fiscal_year_mismatch';
  readonly status = 422;
}

/** Allocations of different funding lines, where the policy keeps capital within its line. */
export class FundingLineMismatchError extends AppError {
  readonly code = 'funding_line_mismatch';
  readonly status = 422;
}

/** Allocations of different capital types, where the policy keeps capital within its type. */
export class CapitalTypeMismatchError extends AppError {
  readonly code = 'capital_type_mismatch';
  readonly status = 422;
}

/** A decision by the reallocation's own maker (four eyes). */
export class OwnReallocationError extends AppError {
  readonly code = 'four_eyes';
  readonly status = 403;
}

/** A decision on a reallocation that is not waiting for one. */
export class ReallocationNotPendingError extends AppError {
  readonly code = 'not_pending';
  readonly status = 409;
}

/** What the rules read of each allocation a reallocation names. */
export type ReallocatedAllocation = Pick<
  Allocation,
  | 'id'
  | 'fiscalYear'
  | 'fundingLine'
  | 'capitalType'
  | 'commune'
  | 'assignedVnd'
  | 'availableVnd'
  | 'deadline'
  | 'closing'
>;

const field = (i: number) => `body.moves[${i}]`;

/** The capital each allocation gives (negative) or receives (positive) by the moves. */
export const netOf = (moves: readonly ReallocationMove[]): Map<string, number> => {
  const net = new Map<string, number>();
  for (const m of moves) {
    net.set(m.fromAllocationId, (net.get(m.fromAllocationId) ?? 0) - m.amountVnd);
    net.set(m.toAllocationId, (net.get(m.toAllocationId) ?? 0) + m.amountVnd);
  }
  return net;
};

/**
 * The shape of the moves, before any allocation is read: no more than the policy's cap
 * (too_many_moves), none from an allocation to itself, and no allocation both giving and receiving
 * (circular_reallocation): each allocation is a source or a target, so its change is one sum.
 */
export const checkMoves = (
  rules: Pick<ReallocationRules, 'maxMoves'>,
  moves: readonly ReallocationMove[],
) => {
  if (moves.length > rules.maxMoves) {
    throw new TooManyMovesError(
      `body.moves: ${moves.length} moves, at most ${rules.maxMoves} per reallocation (all of them are written in one transaction); split the decision into several reallocations.`,
      { field: 'body.moves', maxMoves: rules.maxMoves, moves: moves.length },
    );
  }
  const sources = new Set(moves.map((m) => m.fromAllocationId));
  const targets = new Set(moves.map((m) => m.toAllocationId));
  moves.forEach((m, i) => {
    if (m.fromAllocationId === m.toAllocationId) {
      throw new CircularReallocationError(
        `${field(i)}: moves capital from allocation ${m.fromAllocationId} to itself; name two different allocations.`,
        { field: field(i), allocationId: m.fromAllocationId },
      );
    }
    if (targets.has(m.fromAllocationId) || sources.has(m.toAllocationId)) {
      const id = targets.has(m.fromAllocationId) ? m.fromAllocationId : m.toAllocationId;
      throw new CircularReallocationError(
        `${field(i)}: allocation ${id} both gives and receives capital in this reallocation; net the moves so each allocation only gives or only receives.`,
        { field: field(i), allocationId: id },
      );
    }
  });
};

/**
 * The rules on the allocations as they stand (at the POST, and again at the approval): one fiscal year
 * (fiscal_year_mismatch), by default one funding line and capital type (funding_line_mismatch,
 * capital_type_mismatch), none of a closed year (fiscal_year_closed) or past its deadline on `today`
 * (disbursement_period_closed), each source giving no more than it has available, so its assigned
 * capital never drops below what is committed (insufficient_funds, 422), no target past 10^15
 * (amount_out_of_range). `byId` holds every allocation the moves name, read in the caller's jurisdiction.
 */
export const checkReallocation = (
  rules: ReallocationRules,
  moves: readonly ReallocationMove[],
  byId: ReadonlyMap<string, ReallocatedAllocation>,
  period: { today: IsoDate; defaultDeadline: (a: ReallocatedAllocation) => IsoDate },
): void => {
  checkMoves(rules, moves);
  const of = (id: string): ReallocatedAllocation => {
    const a = byId.get(id);
    if (!a) throw new Error(`allocation ${id} of the reallocation was not read`);
    return a;
  };
  const first = of(moves[0]?.fromAllocationId ?? '');
  moves.forEach((m, i) => {
    for (const a of [of(m.fromAllocationId), of(m.toAllocationId)]) {
      const details = { field: field(i), allocationId: a.id };
      if (a.fiscalYear !== first.fiscalYear) {
        throw new FiscalYearMismatchError(
          `${field(i)}: allocation ${a.id} is of fiscal year ${a.fiscalYear}, allocation ${first.id} of ${first.fiscalYear}; a reallocation moves capital within one year's plan (carry-over moves it to the next: POST /fiscal-years/{year}/close).`,
          { ...details, fiscalYear: a.fiscalYear, expected: first.fiscalYear },
        );
      }
      if (rules.sameFundingLine && a.fundingLine !== first.fundingLine) {
        throw new FundingLineMismatchError(
          `${field(i)}: allocation ${a.id} is of funding line ${a.fundingLine}, allocation ${first.id} of ${first.fundingLine}; this jurisdiction's policy moves capital within one funding line only.`,
          { ...details, fundingLine: a.fundingLine, expected: first.fundingLine },
        );
      }
      if (rules.sameCapitalType && a.capitalType !== first.capitalType) {
        throw new CapitalTypeMismatchError(
          `${field(i)}: allocation ${a.id} is ${a.capitalType} capital, allocation ${first.id} ${first.capitalType}; this jurisdiction's policy moves capital within one capital type only.`,
          { ...details, capitalType: a.capitalType, expected: first.capitalType },
        );
      }
      assertYearOpen(a);
      assertPeriodHolds(a, { today: period.today, defaultDeadline: period.defaultDeadline(a) });
    }
  });
  for (const [id, net] of netOf(moves)) {
    const i = moves.findIndex((m) => m.fromAllocationId === id || m.toAllocationId === id);
    assertChangeFits(of(id), net, i);
  }
};

/**
 * One allocation's change by a reallocation, on its totals as they stand: a source gives no more than it
 * has available (insufficient_funds, 422: its assigned capital never drops below what is committed), a
 * target stays within 10^15 (amount_out_of_range). `move` is the first move naming it, for the message.
 */
export const assertChangeFits = (
  a: Pick<Allocation, 'id' | 'assignedVnd' | 'availableVnd'>,
  deltaVnd: number,
  move: number,
): void => {
  if (deltaVnd < 0 && -deltaVnd > a.availableVnd) {
    throw new ReallocationInsufficientFundsError(
      `${field(move)}: allocation ${a.id} has ${a.availableVnd} VND available (assigned less reserved and disbursed); the reallocation takes ${-deltaVnd} VND from it. Move at most ${a.availableVnd} VND: assigned capital never drops below what is committed.`,
      { field: field(move), allocationId: a.id, availableVnd: a.availableVnd, amountVnd: -deltaVnd },
    );
  }
  if (deltaVnd > 0) assertIncreaseFits('assignedVnd', a.assignedVnd, deltaVnd);
};

/**
 * After a write refused on an allocation: the rules that can fail on the values stored now, thrown when
 * one does (fiscal_year_closed, disbursement_period_closed, insufficient_funds, amount_out_of_range).
 * When none does, only its head moved: the caller reads again.
 */
export const assertStepStillFits = (
  current: Allocation,
  deltaVnd: number,
  move: number,
  period: { today: IsoDate; defaultDeadline: IsoDate },
): void => {
  assertYearOpen(current);
  assertPeriodHolds(current, period);
  assertChangeFits(current, deltaVnd, move);
};

/** Refuses a decision by the reallocation's maker (403 four_eyes): a maker never checks their own. */
export const assertNotMaker = (
  reallocation: Reallocation,
  checker: { sub: string; email?: string },
): void => {
  if (!samePerson({ sub: reallocation.requestedBy, email: reallocation.requestedByEmail }, checker)) return;
  throw new OwnReallocationError(
    `You made reallocation ${reallocation.id}; another province approver decides on it (four eyes).`,
  );
};

/** Refuses a decision on a reallocation that is not pending (409 not_pending). */
export const assertPending = (reallocation: Reallocation): void => {
  if (reallocation.status === 'pending_approval') return;
  throw new ReallocationNotPendingError(
    `Reallocation ${reallocation.id} is ${reallocation.status}${reallocation.decision ? ` (by ${reallocation.decision.by} at ${reallocation.decision.at})` : ''}; only a pending one takes a decision.`,
    { status: reallocation.status },
  );
};

/** The transit account of a reallocation: credited by its outgoing entries, debited by its incoming ones. */
export const reallocationAccount = (reallocationId: string): string => `reallocation:${reallocationId}`;

const moveEntry = (
  kind: 'reallocation-out' | 'reallocation-in',
  on: ChainedAllocation,
  counterpart: string,
  move: number,
  amountVnd: number,
  r: Pick<Reallocation, 'id' | 'decisionNumber' | 'decidedOn' | 'reason' | 'requestedBy' | 'decision'>,
  at: string,
): LedgerEntry => {
  const seq = on.headSeq + 1;
  const allocation = allocationAccount(on.id);
  const transit = reallocationAccount(r.id);
  const [debit, credit] = kind === 'reallocation-out' ? [allocation, transit] : [transit, allocation];
  const body: Omit<LedgerEntry, 'hash'> = {
    entryId: `${on.id}#${seq}`,
    kind,
    allocationId: on.id,
    ...dimensionsOf(on),
    ...(on.jurisdiction !== undefined ? { jurisdiction: on.jurisdiction } : {}),
    // No request: the decision's move is the entry's cause, one entry per move and side.
    requestId: `reallocation:${r.id}:${move}:${kind === 'reallocation-out' ? 'out' : 'in'}`,
    amountVnd,
    payee: { name: `Allocation ${counterpart}`, kind: 'agency' },
    purpose:
      kind === 'reallocation-out'
        ? `Điều chỉnh giảm kế hoạch vốn, chuyển sang ${counterpart}, quyết định ${r.decisionNumber} ngày ${r.decidedOn}`
        : `Điều chỉnh tăng kế hoạch vốn, nhận từ ${counterpart}, quyết định ${r.decisionNumber} ngày ${r.decidedOn}`,
    submittedBy: r.requestedBy,
    approvals:
      r.decision?.decision === 'approve' ? [{ level: 'province', by: r.decision.by, at: r.decision.at }] : [],
    postings: [
      { account: debit, debitVnd: amountVnd, creditVnd: 0 },
      { account: credit, debitVnd: 0, creditVnd: amountVnd },
    ],
    ...(on.budgetCodes ? { budgetCodes: on.budgetCodes } : {}),
    reallocation: {
      reallocationId: r.id,
      decisionNumber: r.decisionNumber,
      decidedOn: r.decidedOn,
      move,
      counterpartAllocationId: counterpart,
    },
    postedAt: at,
    seq,
    prevHash: on.headHash,
  };
  return { ...body, hash: hashOf<LedgerEntry>(body) };
};

/**
 * One allocation's part of an applied reallocation: the allocation as read (its head and totals are the
 * write's conditions), its change of assigned capital and the entries appended to its chain, in order.
 */
export interface ReallocationStep {
  allocation: Allocation;
  deltaVnd: number;
  entries: LedgerEntry[];
  /** The first move naming the allocation (its index), for a refusal's message. */
  move: number;
}

/**
 * The entries of a reallocation's moves, chained after each allocation's head as read: per move, an
 * outgoing entry on the source (debit its account) and an incoming one on the target (credit it), both
 * through the reallocation's transit account, both naming the decision and the other allocation. One
 * step per allocation, in the order the moves first name them.
 */
export const reallocationSteps = (
  reallocation: Pick<
    Reallocation,
    'id' | 'decisionNumber' | 'decidedOn' | 'reason' | 'requestedBy' | 'decision' | 'moves'
  >,
  byId: ReadonlyMap<string, Allocation>,
  at: string,
): ReallocationStep[] => {
  const steps = new Map<string, ReallocationStep>();
  const stepOf = (id: string, move: number): ReallocationStep => {
    let step = steps.get(id);
    if (!step) {
      const allocation = byId.get(id);
      if (!allocation) throw new Error(`allocation ${id} of the reallocation was not read`);
      step = { allocation, deltaVnd: 0, entries: [], move };
      steps.set(id, step);
    }
    return step;
  };
  const append = (
    step: ReallocationStep,
    kind: 'reallocation-out' | 'reallocation-in',
    counterpart: string,
    move: number,
    amountVnd: number,
  ) => {
    const last = step.entries.at(-1);
    const head = last ? { ...step.allocation, headSeq: last.seq, headHash: last.hash } : step.allocation;
    step.entries.push(moveEntry(kind, head, counterpart, move, amountVnd, reallocation, at));
    step.deltaVnd += kind === 'reallocation-out' ? -amountVnd : amountVnd;
  };
  reallocation.moves.forEach((m, i) => {
    append(stepOf(m.fromAllocationId, i), 'reallocation-out', m.toAllocationId, i, m.amountVnd);
    append(stepOf(m.toAllocationId, i), 'reallocation-in', m.fromAllocationId, i, m.amountVnd);
  });
  return [...steps.values()];
};
