import { jurisdictionOf } from '../../platform/tenancy.ts';
import type { ApprovalPolicies } from '../domain/approval-policy.ts';
import type { ApprovalEvent, DisbursementRequest } from '../domain/disbursement-request.ts';
import { assertVoucherFits, duplicateVoucher, tierForRequest } from '../domain/treasury-voucher.ts';
import type { LedgerStore } from './ports.ts';

/**
 * Accepts a decision's Treasury voucher: required with the Treasury level's approval and refused with
 * any other decision (422), its value date in the request's window (422), and its number claimed for
 * the request before the decision is stored (409 duplicate_voucher when another request of the
 * jurisdiction's fiscal year holds it). The posting holds the number again in its own transaction, so
 * even an event that did not come through here cannot post a number twice.
 */
export const acceptVoucher = async (
  deps: { store: LedgerStore; policies: ApprovalPolicies },
  request: DisbursementRequest,
  event: Pick<ApprovalEvent, 'eventId' | 'level' | 'decision' | 'treasuryVoucher' | 'decidedAt'>,
): Promise<void> => {
  const tier = tierForRequest(deps.policies, request, event.level);
  const voucher = event.treasuryVoucher;
  assertVoucherFits(request, { tier, ...event }, voucher);
  if (voucher === undefined) return;
  const claim = {
    jurisdiction: jurisdictionOf(request),
    fiscalYear: request.fiscalYear,
    number: voucher.number,
    requestId: request.id,
    eventId: event.eventId,
    at: event.decidedAt,
  };
  if (!(await deps.store.claimVoucher(claim))) throw duplicateVoucher(claim);
};
