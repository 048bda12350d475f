import { AppError } from '../../platform/errors.ts';
import { type IsoDate, vnDateOf } from '../../platform/vn-calendar.ts';
import { type ApprovalPolicies, type LevelTier, levelForRequest } from './approval-policy.ts';

/** The State Treasury's payment voucher ("chứng từ KBNN") recorded with its approval. */
export interface TreasuryVoucher {
  /** The voucher number, unique per jurisdiction and fiscal year. */
  number: string;
  /** The value date ("ngày hạch toán"), a calendar day in Vietnam. */
  valueDate: IsoDate;
}

/** Upper-case letters, digits and `.`, `/`, `-`: no `#` (it is part of a key) and one spelling per number. */
export const VOUCHER_NUMBER = /^[0-9A-Z][0-9A-Z./-]{0,39}$/;

/** The Treasury's approval without its voucher. */
export class VoucherRequiredError extends AppError {
  readonly code = 'voucher_required';
  readonly status = 422;
}

/** A voucher given with a decision that records none (another level, or a rejection). */
export class VoucherNotExpectedError extends AppError {
  readonly code = 'voucher_not_expected';
  readonly status = 422;
}

/** A value date outside the window the request's fiscal year allows. */
export class InvalidValueDateError extends AppError {
  readonly code = 'invalid_value_date';
  readonly status = 422;
}

/** A voucher number already recorded for another request of the jurisdiction's fiscal year. */
export class DuplicateVoucherError extends AppError {
  readonly code = 'duplicate_voucher';
  readonly status = 409;
}

/**
 * The value dates allowed for a request's voucher (Vietnam calendar days): from the day the request
 * was created, never before 1 January of its fiscal year, to the day of the Treasury's decision — a
 * voucher records a payment made, never one to come. How late a year's capital may still be paid
 * (its deadline, extension and close, DESIGN §8) is the submission's rule, not the voucher's.
 */
export const valueDateWindow = (request: { fiscalYear: number; createdAt: string }, decidedAt: string) => {
  const created = vnDateOf(request.createdAt);
  const yearStart = `${String(request.fiscalYear).padStart(4, '0')}-01-01`;
  return { from: created > yearStart ? created : yearStart, to: vnDateOf(decidedAt) };
};

/**
 * Checks the voucher of a decision: the Treasury's approval must carry one, with a value date in the
 * request's window; no other decision may carry one.
 */
export const assertVoucherFits = (
  request: { id: string; fiscalYear: number; createdAt: string },
  decision: { tier: LevelTier | undefined; level: string; decision: 'approve' | 'reject'; decidedAt: string },
  voucher: TreasuryVoucher | undefined,
): void => {
  const records = decision.tier === 'treasury' && decision.decision === 'approve';
  if (records && voucher === undefined) {
    throw new VoucherRequiredError(
      `Request ${request.id} waits at the Treasury level "${decision.level}": its approval must record the Treasury voucher, body.treasuryVoucher {number, valueDate}.`,
      { level: decision.level },
    );
  }
  if (!records && voucher !== undefined) {
    throw new VoucherNotExpectedError(
      `body.treasuryVoucher: only the Treasury's approval records a voucher; request ${request.id} waits at level "${decision.level}"${decision.decision === 'reject' ? ' and this is a rejection' : ''}: leave it out.`,
      { level: decision.level, decision: decision.decision },
    );
  }
  if (voucher === undefined) return;
  const window = valueDateWindow(request, decision.decidedAt);
  if (voucher.valueDate < window.from || voucher.valueDate > window.to) {
    throw new InvalidValueDateError(
      `body.treasuryVoucher.valueDate: ${voucher.valueDate} is outside ${window.from}–${window.to}: not before the request was created (nor before fiscal year ${request.fiscalYear}), nor after the day of this decision.`,
      { valueDate: voucher.valueDate, ...window },
    );
  }
};

/**
 * A voucher number held for one request of a jurisdiction's fiscal year: claimed when the Treasury's
 * approval is accepted, written again (with the entry) when the request is posted.
 */
export interface VoucherClaim {
  jurisdiction: string;
  fiscalYear: number;
  number: string;
  requestId: string;
  /** The event that claimed it (at acceptance) or the entry that posted it. */
  eventId?: string;
  entryId?: string;
  at: string;
}

/** The refusal of a number another request of the jurisdiction's fiscal year holds. */
export const duplicateVoucher = (v: { number: string; fiscalYear: number }) =>
  new DuplicateVoucherError(
    `Treasury voucher ${v.number} is already recorded for another request of fiscal year ${v.fiscalYear}; check the number and send the approval with the voucher that paid this request.`,
    { number: v.number, fiscalYear: v.fiscalYear },
  );

/** The voucher of a request's approvals (the Treasury's), if one was recorded. */
export const voucherOf = (approvals: readonly { treasuryVoucher?: TreasuryVoucher }[]) =>
  approvals.find((a) => a.treasuryVoucher !== undefined)?.treasuryVoucher;

/** The tier of a request's level: stored on the request at submission, else from its policy. */
export const tierForRequest = (
  policies: ApprovalPolicies,
  request: Parameters<typeof levelForRequest>[1],
  level: string,
): LevelTier | undefined => levelForRequest(policies, request, level)?.tier;
