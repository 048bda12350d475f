import { jurisdictionOf } from '../../platform/tenancy.ts';
import type { ApprovalPolicies } from '../domain/approval-policy.ts';
import type { ApprovalEvent, DisbursementRequest } from '../domain/disbursement-request.ts';
import { assertVoucherFits, tierForRequest, type VoucherClaim } from '../domain/treasury-voucher.ts';

/**
 * Checks a decision's Treasury voucher: required with the Treasury level's approval and refused with
 * any other decision (422), its value date in the request's window (422). Returns the claim of its
 * number for the request, which the store writes with the decision's record in one transaction (409
 * duplicate_voucher when another request of the jurisdiction's fiscal year holds it), so the number is
 * held before the decision is published. The posting holds the number again in its own transaction, so
 * even an event that did not come through here cannot post a number twice.
 */
export const voucherClaimFor = (
  deps: { policies: ApprovalPolicies },
  request: DisbursementRequest,
  event: Pick<ApprovalEvent, 'eventId' | 'level' | 'decision' | 'treasuryVoucher' | 'decidedAt'>,
): VoucherClaim | undefined => {
  const tier = tierForRequest(deps.policies, request, event.level);
  const voucher = event.treasuryVoucher;
  assertVoucherFits(request, { tier, ...event }, voucher);
  if (voucher === undefined) return undefined;
  return {
    jurisdiction: jurisdictionOf(request),
    fiscalYear: request.fiscalYear,
    number: voucher.number,
    requestId: request.id,
    eventId: event.eventId,
    at: event.decidedAt,
  };
};
