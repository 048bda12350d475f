import { BelowCommittedError, InsufficientFundsError } from '../../platform/errors.ts';
import { isAmountVnd } from '../../platform/money.ts';
import { assertIncreaseFits, assertTotalsInRange, splitByRange } from '../../platform/total-range.ts';
import type { IsoDate } from '../../platform/vn-calendar.ts';
import type { InvestorKind } from './approval-policy.ts';
import type { BudgetCodes } from './budget-codes.ts';
import type { DeadlineExtension } from './disbursement-deadline.ts';
import type { CapitalType, FundingLine } from './funding-line.ts';

/**
 * An allocation's figures at the year-end close ("quyết toán, chuyển nguồn"): what was assigned and
 * disbursed, what carried over to the next year and what is returned (the unspent rest). Written once,
 * with the close's decision; the allocation takes no write after it.
 */
export interface ClosingFigures {
  decisionNumber: string;
  decidedOn: IsoDate;
  assignedVnd: number;
  disbursedVnd: number;
  /** Unspent and not carried over: returned to the budget ("hủy dự toán"). */
  returnedVnd: number;
  carriedOverVnd: number;
  /** The next-year allocation the carried balance went to; absent when nothing carried. */
  carriedTo?: string;
  closedAt: string;
  closedBy: string;
}

/** Plan capital assigned for one year × line × capital type × component × commune ("kế hoạch vốn giao"). */
export interface Allocation {
  id: string;
  fiscalYear: number;
  fundingLine: FundingLine;
  capitalType: CapitalType;
  component: string;
  commune: string;
  /** Who owns the project and prepares its payment dossiers ("chủ đầu tư"); absent on older data: a commune. */
  investor?: InvestorKind;
  /**
   * The jurisdiction the allocation belongs to, its creator's (the token's `custom:jurisdiction`); its
   * keys start with it. Absent on data stored before jurisdictions: the upgrade default.
   */
  jurisdiction?: string;
  /** The budget classification it is booked to; absent on allocations recorded without codes. */
  budgetCodes?: BudgetCodes;
  title: string;
  /**
   * Capital carried over from an earlier year ("vốn năm trước chuyển sang"): the id of the allocation
   * whose unspent balance the year-end close moved here. Absent: the year's own capital. Judged against
   * the carried-over curve and reported apart from the year's own.
   */
  carriedFrom?: string;
  assignedVnd: number;
  reservedVnd: number;
  disbursedVnd: number;
  /** Always assigned − reserved − disbursed; stored so a condition expression can guard it. */
  availableVnd: number;
  /**
   * What reallocations moved in, less what they moved out ("điều chỉnh kế hoạch vốn"), already counted
   * in assignedVnd; absent before any. Equal to its reallocation entries' ins less outs.
   */
  reallocatedVnd?: number;
  /**
   * Of disbursedVnd, the advances paid on its contracts; and the advance their payments recovered
   * (work paid beyond its cash). Absent before any: 0. Outstanding advance is their difference.
   */
  advancedVnd?: number;
  recoveredVnd?: number;
  /**
   * The last Vietnam day payments may post (YYYY-MM-DD), set at creation from config by capital type
   * and moved by extensions; absent on allocations stored before deadlines: the config default.
   */
  deadline?: string;
  /** The decisions that extended the deadline, oldest first; absent before any. */
  extensions?: DeadlineExtension[];
  /**
   * The figures written by the year-end close of its fiscal year; present: the allocation is closed and
   * takes no more writes (fiscal_year_closed, a condition of every write on it).
   */
  closing?: ClosingFigures;
  /** Sequence number and hash of the last ledger entry of this allocation (0 and the genesis hash before any). */
  headSeq: number;
  headHash: string;
  createdAt: string;
  createdBy: string;
}

/** What an allocation is for: the dimensions its requests and ledger entries carry over from it. */
export const dimensionsOf = (
  a: Pick<Allocation, 'fiscalYear' | 'fundingLine' | 'capitalType' | 'component' | 'commune'>,
) => ({
  fiscalYear: a.fiscalYear,
  fundingLine: a.fundingLine,
  capitalType: a.capitalType,
  component: a.component,
  commune: a.commune,
});

export interface AllocationTotals {
  assignedVnd: number;
  reservedVnd: number;
  disbursedVnd: number;
  availableVnd: number;
}

export const totals = (a: AllocationTotals): AllocationTotals => ({
  assignedVnd: a.assignedVnd,
  reservedVnd: a.reservedVnd,
  disbursedVnd: a.disbursedVnd,
  availableVnd: a.availableVnd,
});

/** The advance paid on an allocation's contracts and not yet recovered by their payments. */
export const advanceOutstandingOf = (a: Pick<Allocation, 'advancedVnd' | 'recoveredVnd'>): number =>
  (a.advancedVnd ?? 0) - (a.recoveredVnd ?? 0);

/** What a posted entry adds to its allocation's advance totals: an advance's cash, a payment's recovery. */
export const advanceTotalsOf = (entry: {
  kind: string;
  amountVnd: number;
  recoveryVnd?: number;
}): { advancedVnd: number; recoveredVnd: number } => ({
  advancedVnd: entry.kind === 'advance' ? entry.amountVnd : 0,
  recoveredVnd: entry.kind === 'payment' ? (entry.recoveryVnd ?? 0) : 0,
});

/** The allocation's totals, refused with a 422 that names them when one is stored out of range. */
export const checkedTotals = (a: Allocation): AllocationTotals => {
  assertTotalsInRange(a.id, { ...totals(a) });
  return totals(a);
};

/** Splits allocations into those whose totals are in range and a problem for each other one. */
export const splitAllocations = (allocations: readonly Allocation[]) =>
  splitByRange(
    allocations,
    (a) => a.id,
    (a) => ({ ...totals(a) }),
  );

const assertAmount = (amountVnd: number): void => {
  if (!isAmountVnd(amountVnd)) throw new RangeError(`not a positive whole amount of VND: ${amountVnd}`);
};

/** Commitment control: reserve an amount for a pending request, or fail when not enough is available. */
export const reserve = (a: AllocationTotals, amountVnd: number): AllocationTotals => {
  assertAmount(amountVnd);
  if (amountVnd > a.availableVnd) {
    throw new InsufficientFundsError(
      `The allocation has ${a.availableVnd} VND available; the request asks for ${amountVnd} VND.`,
      { availableVnd: a.availableVnd, amountVnd },
    );
  }
  assertIncreaseFits('reservedVnd', a.reservedVnd, amountVnd);
  return { ...a, reservedVnd: a.reservedVnd + amountVnd, availableVnd: a.availableVnd - amountVnd };
};

/** Give a reservation back (rejected or cancelled request). */
export const release = (a: AllocationTotals, amountVnd: number): AllocationTotals => {
  assertAmount(amountVnd);
  if (amountVnd > a.reservedVnd) throw new RangeError('release exceeds the reserved amount');
  assertIncreaseFits('availableVnd', a.availableVnd, amountVnd);
  return { ...a, reservedVnd: a.reservedVnd - amountVnd, availableVnd: a.availableVnd + amountVnd };
};

/** Move a reservation to disbursed (the posting of an approved request). */
export const disburse = (a: AllocationTotals, amountVnd: number): AllocationTotals => {
  assertAmount(amountVnd);
  if (amountVnd > a.reservedVnd) throw new RangeError('disbursement exceeds the reserved amount');
  assertIncreaseFits('disbursedVnd', a.disbursedVnd, amountVnd);
  return { ...a, reservedVnd: a.reservedVnd - amountVnd, disbursedVnd: a.disbursedVnd + amountVnd };
};

/**
 * A signed change of assigned capital; it may never go below what is reserved and disbursed, nor
 * above 10^15 VND.
 */
export const adjust = (a: AllocationTotals, deltaVnd: number): AllocationTotals => {
  assertIncreaseFits('assignedVnd', a.assignedVnd, deltaVnd);
  if (a.availableVnd + deltaVnd < 0) {
    throw new BelowCommittedError(
      `Assigned capital cannot drop below reserved + disbursed (${a.reservedVnd + a.disbursedVnd} VND): the largest cut allowed is ${a.availableVnd} VND.`,
      { committedVnd: a.reservedVnd + a.disbursedVnd, maxCutVnd: a.availableVnd, deltaVnd },
    );
  }
  return { ...a, assignedVnd: a.assignedVnd + deltaVnd, availableVnd: a.availableVnd + deltaVnd };
};
