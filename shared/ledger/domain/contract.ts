import { AppError } from '../../platform/errors.ts';
import { MAX_AMOUNT_VND } from '../../platform/money.ts';
import type { DisbursementRequest, Payee } from './disbursement-request.ts';

/** What a contract ("hợp đồng") buys: works, goods, services or consulting. */
export const CONTRACT_KINDS = ['construction', 'goods', 'services', 'consulting'] as const;
export type ContractKind = (typeof CONTRACT_KINDS)[number];

/** An advance above the contract's limit (a share of its current value, from the contract policy). */
export class AdvanceLimitExceededError extends AppError {
  readonly code = 'advance_limit_exceeded';
  readonly status = 422;
}

/** A payment's recovery of the advance above what is outstanding, above its own amount, or below the rule. */
export class RecoveryInvalidError extends AppError {
  readonly code = 'recovery_invalid';
  readonly status = 422;
}

/** Cumulative payments (posted and pending) would pass the contract's current value. */
export class ContractValueExceededError extends AppError {
  readonly code = 'contract_value_exceeded';
  readonly status = 422;
}

/** An amendment would bring the value below what is already paid or pending payment. */
export class BelowPaidError extends AppError {
  readonly code = 'below_paid';
  readonly status = 409;
}

/** One band of the advance limit: contracts of a value up to `upToValueVnd` (the last band: any) may advance `maxPercent`. */
export interface AdvanceBand {
  upToValueVnd?: number;
  maxPercent: number;
}

/** The contract policy (shared/platform/config/contract-policy): advance limits and the recovery rule. */
export interface ContractPolicy {
  /** Bands by contract kind, ascending by value; the first whose `upToValueVnd` is at least the value applies. */
  advanceLimits: Record<ContractKind, AdvanceBand[]>;
  /** The advance is fully recovered when cumulative payments reach this percent of the value. */
  recoveryCompleteAtPercent: number;
  /** Whether a contract requires an advance guarantee ("bảo lãnh tạm ứng") when its body does not say. */
  advanceGuaranteeRequiredByDefault: boolean;
}

/** A contract's running totals; every one lies in [0, 10^15]. */
export interface ContractTotals {
  valueVnd: number;
  /** The most that may be advanced in all: the policy's percent of the current value. */
  advanceLimitVnd: number;
  /** Gross value of posted payments (work paid, recovery included). */
  paidVnd: number;
  /** Posted advances. */
  advancedVnd: number;
  /** Advance recovered by posted payments. */
  recoveredVnd: number;
  /** Pending requests' reservations on the contract: gross payments, advances, recoveries. */
  pendingPaymentVnd: number;
  pendingAdvanceVnd: number;
  pendingRecoveryVnd: number;
}

/** A contract of an allocation's investor with a payee, in the allocation's jurisdiction and commune. */
export interface Contract extends ContractTotals {
  id: string;
  jurisdiction: string;
  allocationId: string;
  commune: string;
  fiscalYear: number;
  number: string;
  /** The signing date, YYYY-MM-DD. */
  signedOn: string;
  kind: ContractKind;
  payeeId: string;
  payee: Payee;
  advanceGuaranteeRequired: boolean;
  /** The percent of the value that may be advanced, as the policy gave it at signing. */
  advanceMaxPercent: number;
  /** Cumulative payments at which the advance must be fully recovered, percent of the value. */
  recoveryCompleteAtPercent: number;
  /** Bumped by every submission and amendment: both are conditional on the state they were checked on. */
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

/** An amendment of a contract's value ("phụ lục / điều chỉnh hợp đồng"), under a numbered decision. */
export interface ContractAmendment {
  id: string;
  jurisdiction: string;
  contractId: string;
  decisionNumber: string;
  reason: string;
  previousValueVnd: number;
  valueVnd: number;
  by: string;
  at: string;
}

const ZERO_TOTALS = {
  paidVnd: 0,
  advancedVnd: 0,
  recoveredVnd: 0,
  pendingPaymentVnd: 0,
  pendingAdvanceVnd: 0,
  pendingRecoveryVnd: 0,
} as const;

/** floor(value × numerator / denominator), exact for any amounts up to 10^15 (no float rounding). */
const mulDiv = (value: number, numerator: number, denominator: number): number =>
  Number((BigInt(value) * BigInt(numerator)) / BigInt(denominator));

/** Percents are kept in hundredths in the arithmetic, so a policy may say 12.5. */
const hundredths = (percent: number): number => Math.round(percent * 100);

/** The advance percent of a contract of this kind and value. */
export const advancePercentFor = (policy: ContractPolicy, kind: ContractKind, valueVnd: number): number => {
  const bands = policy.advanceLimits[kind];
  const band = bands.find((b) => b.upToValueVnd === undefined || valueVnd <= b.upToValueVnd) ?? bands.at(-1);
  return band?.maxPercent ?? 0;
};

/** The most that may be advanced on a value at a percent (rounded down to the đồng). */
export const advanceLimitOf = (valueVnd: number, percent: number): number =>
  mulDiv(valueVnd, hundredths(percent), 10_000);

/** The new contract's record: nothing paid, advanced or pending yet. */
export const newContract = (
  fields: Omit<
    Contract,
    | keyof typeof ZERO_TOTALS
    | 'advanceLimitVnd'
    | 'advanceMaxPercent'
    | 'recoveryCompleteAtPercent'
    | 'version'
  >,
  policy: ContractPolicy,
): Contract => {
  const advanceMaxPercent = advancePercentFor(policy, fields.kind, fields.valueVnd);
  return {
    ...fields,
    ...ZERO_TOTALS,
    advanceMaxPercent,
    advanceLimitVnd: advanceLimitOf(fields.valueVnd, advanceMaxPercent),
    recoveryCompleteAtPercent: policy.recoveryCompleteAtPercent,
    version: 1,
  };
};

/** Advance paid and not yet recovered ("dư tạm ứng"). */
export const advanceOutstandingVnd = (c: Pick<ContractTotals, 'advancedVnd' | 'recoveredVnd'>): number =>
  c.advancedVnd - c.recoveredVnd;

/**
 * The least cumulative recovery the rule asks for once cumulative payments reach `cumulativePaidVnd`:
 * the advance in proportion to payments, all of it when they reach `recoveryCompleteAtPercent` of the
 * value (rounded down to the đồng, so the rule never asks a đồng more than proportion).
 */
export const requiredRecoveryVnd = (
  c: Pick<Contract, 'valueVnd' | 'advancedVnd' | 'recoveryCompleteAtPercent'>,
  cumulativePaidVnd: number,
): number => {
  const threshold = mulDiv(c.valueVnd, hundredths(c.recoveryCompleteAtPercent), 10_000);
  if (threshold <= 0 || cumulativePaidVnd >= threshold) return c.advancedVnd;
  return mulDiv(c.advancedVnd, cumulativePaidVnd, threshold);
};

/** A request's amounts on a contract: the advance, or the gross payment and its recovery. */
export interface ContractClaim {
  kind: 'advance' | 'payment';
  amountVnd: number;
  recoveryVnd: number;
}

/** The claim a contract request makes on its contract; undefined for a direct request. */
export const claimOf = (
  request: Pick<DisbursementRequest, 'kind' | 'amountVnd' | 'recoveryVnd' | 'contractId'>,
): (ContractClaim & { contractId: string }) | undefined => {
  if ((request.kind !== 'advance' && request.kind !== 'payment') || request.contractId === undefined) {
    return undefined;
  }
  return {
    kind: request.kind,
    contractId: request.contractId,
    amountVnd: request.amountVnd,
    recoveryVnd: request.kind === 'payment' ? (request.recoveryVnd ?? 0) : 0,
  };
};

/** The cash a request pays out of its allocation: an advance or direct amount, a payment's net (gross − recovery). */
export const cashOutVnd = (
  request: Pick<DisbursementRequest, 'kind' | 'amountVnd' | 'recoveryVnd'>,
): number =>
  request.kind === 'payment' ? request.amountVnd - (request.recoveryVnd ?? 0) : request.amountVnd;

/**
 * Submission of an advance: the advances posted and pending, with this one, stay within the limit.
 * Returns the totals with the advance pending.
 */
const commitAdvance = (c: Contract, amountVnd: number): Contract => {
  const committed = c.advancedVnd + c.pendingAdvanceVnd;
  if (committed + amountVnd > c.advanceLimitVnd) {
    const roomVnd = Math.max(0, c.advanceLimitVnd - committed);
    throw new AdvanceLimitExceededError(
      `Contract ${c.number} may be advanced at most ${c.advanceLimitVnd} VND (${c.advanceMaxPercent}% of its value ${c.valueVnd} VND); ${committed} VND is advanced or pending, so at most ${roomVnd} VND more may be advanced.`,
      { advanceLimitVnd: c.advanceLimitVnd, committedVnd: committed, maxAdvanceVnd: roomVnd, amountVnd },
    );
  }
  return { ...c, pendingAdvanceVnd: c.pendingAdvanceVnd + amountVnd };
};

/**
 * Submission of a payment: cumulative payments (posted, pending and this one) stay within the value,
 * and the recovery lies between what the rule requires and what is outstanding (and below the gross:
 * a payment pays something in cash). Returns the totals with the payment pending.
 */
const commitPayment = (c: Contract, grossVnd: number, recoveryVnd: number): Contract => {
  const paidOrPending = c.paidVnd + c.pendingPaymentVnd;
  if (paidOrPending + grossVnd > c.valueVnd) {
    const roomVnd = Math.max(0, c.valueVnd - paidOrPending);
    throw new ContractValueExceededError(
      `Contract ${c.number} is worth ${c.valueVnd} VND and ${paidOrPending} VND is paid or pending payment: this payment may be at most ${roomVnd} VND (or amend the contract's value first).`,
      { valueVnd: c.valueVnd, paidOrPendingVnd: paidOrPending, maxPaymentVnd: roomVnd, amountVnd: grossVnd },
    );
  }
  const recoveredOrPending = c.recoveredVnd + c.pendingRecoveryVnd;
  const recoverable = c.advancedVnd - recoveredOrPending;
  const required = requiredRecoveryVnd(c, paidOrPending + grossVnd);
  const minRecoveryVnd = Math.max(0, required - recoveredOrPending);
  const maxRecoveryVnd = Math.min(recoverable, grossVnd - 1);
  if (recoveryVnd > maxRecoveryVnd || recoveryVnd < minRecoveryVnd) {
    const why =
      recoveryVnd > recoverable
        ? `only ${recoverable} VND of the advance is outstanding and not claimed by pending payments`
        : recoveryVnd >= grossVnd
          ? 'a payment must pay something in cash, so it recovers less than its amount'
          : `the advance of ${c.advancedVnd} VND is recovered in proportion to payments and in full once they reach ${c.recoveryCompleteAtPercent}% of the value, so payments up to ${paidOrPending + grossVnd} VND must have recovered ${required} VND (${recoveredOrPending} VND so far)`;
    const range =
      minRecoveryVnd <= maxRecoveryVnd
        ? `recoveryVnd must be from ${minRecoveryVnd} to ${maxRecoveryVnd} VND`
        : `no recovery fits a payment of ${grossVnd} VND: pay more work in this payment`;
    throw new RecoveryInvalidError(`body.recoveryVnd: ${why}; ${range}.`, {
      field: 'recoveryVnd',
      recoveryVnd,
      minRecoveryVnd,
      maxRecoveryVnd,
      outstandingVnd: recoverable,
    });
  }
  return {
    ...c,
    pendingPaymentVnd: c.pendingPaymentVnd + grossVnd,
    pendingRecoveryVnd: c.pendingRecoveryVnd + recoveryVnd,
  };
};

/** The contract's totals once a request's claim is pending (checked against the limit, value and rule). */
export const commitClaim = (c: Contract, claim: ContractClaim): Contract =>
  claim.kind === 'advance'
    ? commitAdvance(c, claim.amountVnd)
    : commitPayment(c, claim.amountVnd, claim.recoveryVnd);

/** The posting of a pending claim: pending moves to advanced, or to paid and recovered. */
export const postClaim = (c: ContractTotals, claim: ContractClaim): ContractTotals =>
  claim.kind === 'advance'
    ? {
        ...c,
        pendingAdvanceVnd: c.pendingAdvanceVnd - claim.amountVnd,
        advancedVnd: c.advancedVnd + claim.amountVnd,
      }
    : {
        ...c,
        pendingPaymentVnd: c.pendingPaymentVnd - claim.amountVnd,
        paidVnd: c.paidVnd + claim.amountVnd,
        pendingRecoveryVnd: c.pendingRecoveryVnd - claim.recoveryVnd,
        recoveredVnd: c.recoveredVnd + claim.recoveryVnd,
      };

/** A rejected or cancelled claim gives its reservation on the contract back. */
export const releaseClaim = (c: ContractTotals, claim: ContractClaim): ContractTotals =>
  claim.kind === 'advance'
    ? { ...c, pendingAdvanceVnd: c.pendingAdvanceVnd - claim.amountVnd }
    : {
        ...c,
        pendingPaymentVnd: c.pendingPaymentVnd - claim.amountVnd,
        pendingRecoveryVnd: c.pendingRecoveryVnd - claim.recoveryVnd,
      };

/** Whether a pending claim is held by the totals (what posting and release are conditional on). */
export const holdsClaim = (c: ContractTotals, claim: ContractClaim): boolean =>
  claim.kind === 'advance'
    ? c.pendingAdvanceVnd >= claim.amountVnd
    : c.pendingPaymentVnd >= claim.amountVnd && c.pendingRecoveryVnd >= claim.recoveryVnd;

/**
 * A new value: never below what is paid or pending payment; the advance limit follows the value at the
 * contract's percent (advances already made above a lower limit stay; no new one passes it).
 */
export const amendValue = (c: Contract, valueVnd: number): Contract => {
  const paidOrPending = c.paidVnd + c.pendingPaymentVnd;
  if (valueVnd < paidOrPending) {
    throw new BelowPaidError(
      `Contract ${c.number} has ${paidOrPending} VND paid or pending payment; its value cannot drop below that.`,
      { paidOrPendingVnd: paidOrPending, valueVnd },
    );
  }
  if (valueVnd > MAX_AMOUNT_VND || valueVnd <= 0) {
    throw new RangeError(`not a positive whole amount of VND: ${valueVnd}`);
  }
  return { ...c, valueVnd, advanceLimitVnd: advanceLimitOf(valueVnd, c.advanceMaxPercent) };
};

/** The contract's figures as the API shows them, outstanding advance included. */
export const contractFigures = (c: ContractTotals) => ({
  valueVnd: c.valueVnd,
  paidVnd: c.paidVnd,
  advancedVnd: c.advancedVnd,
  recoveredVnd: c.recoveredVnd,
  advanceOutstandingVnd: advanceOutstandingVnd(c),
  advanceLimitVnd: c.advanceLimitVnd,
  pendingPaymentVnd: c.pendingPaymentVnd,
  pendingAdvanceVnd: c.pendingAdvanceVnd,
  pendingRecoveryVnd: c.pendingRecoveryVnd,
});
