import { AppError } from '../../platform/errors.ts';
import type { IsoDate } from '../../platform/vn-calendar.ts';
import { type Allocation, type ClosingFigures, dimensionsOf } from './allocation.ts';
import { extensionLimit } from './disbursement-deadline.ts';
import { GENESIS_HASH } from './hash-chain.ts';
import { type ChainedAllocation, type LedgerEntry, movesCapital, transferEntry } from './ledger-entry.ts';

export type { ClosingFigures };

/** An allocation's closing figures, named. */
export type AllocationCloseFigures = { allocationId: string } & ClosingFigures;

/** A planner's choice of an allocation whose unspent balance carries over; no amount: all of it. */
export interface CarryOverChoice {
  allocationId: string;
  amountVnd?: number;
}

/** One carry-over of a close, with the id of the next-year allocation it creates (fixed at the start). */
export interface PlannedCarryOver extends CarryOverChoice {
  targetId: string;
}

/**
 * The close of one jurisdiction's fiscal year: `closing` while its allocations are being closed (a
 * repeated call resumes it with the same plan), `closed` once every one is.
 */
export interface FiscalYearClose {
  jurisdiction: string;
  fiscalYear: number;
  decisionNumber: string;
  decidedOn: IsoDate;
  carryOver: PlannedCarryOver[];
  status: 'closing' | 'closed';
  startedAt: string;
  closedBy: string;
  closedAt?: string;
  /** Each allocation of the year with its closing figures, once closed. */
  allocations?: AllocationCloseFigures[];
}

/** A write on an allocation whose fiscal year is closed. */
export class FiscalYearClosedError extends AppError {
  readonly code = 'fiscal_year_closed';
  readonly status = 409;
}

/** A carry-over that names an allocation not of the year, twice, or more than its unspent balance. */
export class InvalidCarryOverError extends AppError {
  readonly code = 'invalid_carry_over';
  readonly status = 422;
}

/** Refuses any write on a closed allocation with 409 fiscal_year_closed. */
export const assertYearOpen = (a: Pick<Allocation, 'id' | 'fiscalYear' | 'closing'>): void => {
  if (a.closing === undefined) return;
  throw new FiscalYearClosedError(
    `Allocation ${a.id} belongs to fiscal year ${a.fiscalYear}, closed by decision ${a.closing.decisionNumber} on ${a.closing.closedAt}: it takes no more submissions, decisions, postings, adjustments, extensions or contracts.${a.closing.carriedTo ? ` Its carried-over balance is allocation ${a.closing.carriedTo}.` : ''}`,
    { fiscalYear: a.fiscalYear, decisionNumber: a.closing.decisionNumber },
  );
};

/**
 * Refuses a new allocation in a fiscal year whose close is recorded, being closed or closed, with 409
 * fiscal_year_closed: from the moment the close's plan is stored, since the close lists the year's
 * allocations after that and would leave one created meanwhile open in a closed year.
 */
export const assertYearTakesAllocations = (
  close: Pick<FiscalYearClose, 'fiscalYear' | 'decisionNumber' | 'status'> | undefined,
): void => {
  if (close === undefined) return;
  const state = close.status === 'closed' ? 'closed' : 'being closed';
  throw new FiscalYearClosedError(
    `Fiscal year ${close.fiscalYear} is ${state} by decision ${close.decisionNumber}: it takes no new allocation. Record the capital in fiscal year ${close.fiscalYear + 1} instead.`,
    { fiscalYear: close.fiscalYear, decisionNumber: close.decisionNumber },
  );
};

/**
 * Checks a close's carry-over choices against the year's allocations (the caller's jurisdiction's):
 * each names one of them once, not one carried over itself (carried capital ends with the year it is
 * carried into), with an amount no more than it can have unspent (what is available plus what pending
 * requests reserve, which the close releases). 422 invalid_carry_over otherwise, naming the entry.
 */
export const checkCarryOver = (
  fiscalYear: number,
  allocations: readonly Pick<Allocation, 'id' | 'availableVnd' | 'reservedVnd' | 'carriedFrom'>[],
  choices: readonly CarryOverChoice[],
): void => {
  const byId = new Map(allocations.map((a) => [a.id, a]));
  const seen = new Set<string>();
  choices.forEach((choice, i) => {
    const field = `body.carryOver[${i}]`;
    const refuse = (why: string, details: Record<string, unknown> = {}): never => {
      throw new InvalidCarryOverError(`${field}: ${why}`, {
        field,
        allocationId: choice.allocationId,
        ...details,
      });
    };
    const a = byId.get(choice.allocationId);
    if (!a)
      refuse(`allocation ${choice.allocationId} is not one of fiscal year ${fiscalYear}'s allocations.`);
    if (seen.has(choice.allocationId)) refuse(`allocation ${choice.allocationId} is named twice.`);
    seen.add(choice.allocationId);
    if (a?.carriedFrom !== undefined) {
      refuse(
        `allocation ${choice.allocationId} is capital carried over from allocation ${a.carriedFrom}; carried capital is disbursed by 31/12 of the year it is carried into and does not carry over again.`,
      );
    }
    const unspent = (a?.availableVnd ?? 0) + (a?.reservedVnd ?? 0);
    if (choice.amountVnd !== undefined && choice.amountVnd > unspent) {
      refuse(
        `${choice.amountVnd} VND is more than allocation ${choice.allocationId} has unspent (${unspent} VND); leave amountVnd out to carry all of it.`,
        { maxVnd: unspent },
      );
    }
  });
};

/**
 * The amount an allocation carries at its close: the choice's, else its whole available balance (no
 * request is pending then: the close expired them); 422 when the choice is more than available.
 */
export const carriedAmountOf = (
  a: Pick<Allocation, 'id' | 'availableVnd'>,
  choice: CarryOverChoice | undefined,
): number => {
  if (choice === undefined) return 0;
  const amount = choice.amountVnd ?? a.availableVnd;
  if (amount > a.availableVnd) {
    throw new InvalidCarryOverError(
      `allocation ${a.id} has ${a.availableVnd} VND available at its close; it cannot carry ${amount} VND.`,
      { allocationId: a.id, availableVnd: a.availableVnd, amountVnd: amount },
    );
  }
  return amount;
};

/** The closing figures of an allocation carrying `carriedVnd` (and to `carriedTo`) at the close. */
export const closingFiguresOf = (
  a: Pick<Allocation, 'assignedVnd' | 'disbursedVnd' | 'availableVnd'>,
  close: Pick<FiscalYearClose, 'decisionNumber' | 'decidedOn' | 'closedBy'>,
  carried: { amountVnd: number; targetId?: string },
  at: string,
): ClosingFigures => ({
  decisionNumber: close.decisionNumber,
  decidedOn: close.decidedOn,
  assignedVnd: a.assignedVnd,
  disbursedVnd: a.disbursedVnd,
  returnedVnd: a.availableVnd - carried.amountVnd,
  carriedOverVnd: carried.amountVnd,
  ...(carried.amountVnd > 0 && carried.targetId !== undefined ? { carriedTo: carried.targetId } : {}),
  closedAt: at,
  closedBy: close.closedBy,
});

/** The transit account of a carry-over: credited by the origin's outgoing entry, debited by the incoming one. */
export const carryOverAccount = (targetId: string): string => `carry-over:${targetId}`;

/** True for the entries of a carry-over, which move capital between years and disburse nothing. */
export const isCarryOverEntry = (e: { kind?: LedgerEntry['kind'] }): boolean =>
  e.kind === 'carry-out' || e.kind === 'carry-in';

/** What an entry disburses: its cash out; nothing for a carry-over's or a reallocation's entry. */
export const disbursedBy = (e: { kind?: LedgerEntry['kind']; amountVnd: number }): number =>
  movesCapital(e) ? 0 : e.amountVnd;

const carryEntry = (
  kind: 'carry-out' | 'carry-in',
  on: ChainedAllocation,
  other: { id: string; fiscalYear: number },
  targetId: string,
  amountVnd: number,
  close: Pick<FiscalYearClose, 'fiscalYear' | 'decisionNumber' | 'decidedOn' | 'closedBy'>,
  at: string,
): LedgerEntry =>
  transferEntry(on, {
    kind,
    out: kind === 'carry-out',
    transit: carryOverAccount(targetId),
    // No request: the close's decision is the entry's cause, one per carried allocation.
    requestId: `carry-over:${targetId}:${kind}`,
    amountVnd,
    payee: { name: `Allocation ${other.id} (${other.fiscalYear})`, kind: 'agency' },
    purpose:
      kind === 'carry-out'
        ? `Chuyển nguồn sang năm ${other.fiscalYear}, quyết định ${close.decisionNumber} ngày ${close.decidedOn}`
        : `Vốn năm ${other.fiscalYear} chuyển sang, quyết định ${close.decisionNumber} ngày ${close.decidedOn}`,
    submittedBy: close.closedBy,
    approvals: [],
    postedAt: at,
  });

/**
 * A carry-over: the origin's outgoing entry (chained after its head), the next-year allocation linked
 * to it (`carriedFrom`, assigned the carried amount, its deadline 31/12 of the year it is carried into,
 * the law's limit) and its incoming entry, the first of its chain.
 */
export const carryOver = (
  origin: Allocation,
  targetId: string,
  amountVnd: number,
  close: Pick<FiscalYearClose, 'fiscalYear' | 'decisionNumber' | 'decidedOn' | 'closedBy'>,
  at: string,
): { outgoing: LedgerEntry; target: Allocation; incoming: LedgerEntry } => {
  const opened: Allocation = {
    id: targetId,
    ...dimensionsOf(origin),
    fiscalYear: origin.fiscalYear + 1,
    ...(origin.investor !== undefined ? { investor: origin.investor } : {}),
    ...(origin.jurisdiction !== undefined ? { jurisdiction: origin.jurisdiction } : {}),
    ...(origin.budgetCodes ? { budgetCodes: origin.budgetCodes } : {}),
    title: origin.title,
    carriedFrom: origin.id,
    assignedVnd: amountVnd,
    reservedVnd: 0,
    disbursedVnd: 0,
    availableVnd: amountVnd,
    deadline: extensionLimit(origin.fiscalYear),
    headSeq: 0,
    headHash: GENESIS_HASH,
    createdAt: at,
    createdBy: close.closedBy,
  };
  const outgoing = carryEntry('carry-out', origin, opened, targetId, amountVnd, close, at);
  const incoming = carryEntry('carry-in', opened, origin, targetId, amountVnd, close, at);
  return { outgoing, target: { ...opened, headSeq: 1, headHash: incoming.hash }, incoming };
};
