import type { RouteSpec } from '../../platform/http/route-spec.ts';
import { err, outOfRangeResponse, PageOf } from '../../platform/http/schemas.ts';
import { ROLES } from '../../platform/roles.ts';
import { FUNDING_LINES } from '../domain/funding-line.ts';
import { approvalQueueId } from '../topology.ts';
import * as s from './schemas.ts';

const anyRole = ROLES;
const outOfRange = outOfRangeResponse;

/** The ledger's routes: plan capital, requests, decisions. */
export const LEDGER_ROUTES = [
  {
    method: 'POST',
    path: '/allocations',
    functionId: 'create-allocation',
    table: 'read-write',
    summary: 'Record plan capital assigned for a year (kế hoạch vốn giao)',
    roles: ['planner'],
    body: s.CreateAllocationBody,
    idempotencyKey: 'optional',
    responses: {
      201: { description: 'Created', schema: s.AllocationView },
      409: err(
        'fiscal_year_closed: the fiscal year is being closed or closed (details.fiscalYear, decisionNumber)',
      ),
      422: err(
        'invalid_budget_code: a budget code is not in the catalogue of the fiscal year (details.allowed lists the codes)',
      ),
    },
  },
  {
    method: 'GET',
    path: '/allocations',
    functionId: 'list-allocations',
    table: 'read',
    summary: 'List allocations with their running totals',
    roles: anyRole,
    query: s.ListAllocationsQuery,
    responses: {
      200: {
        description:
          'Allocations; one whose totals are stored out of range is left out and named in problems',
        schema: s.AllocationList,
      },
    },
  },
  {
    method: 'GET',
    path: '/allocations/{id}',
    functionId: 'get-allocation',
    table: 'read',
    summary: 'One allocation',
    roles: anyRole,
    responses: {
      200: { description: 'The allocation', schema: s.AllocationView },
      404: err('Unknown id'),
      ...outOfRange('a total of the allocation is stored out of range'),
    },
  },
  {
    method: 'POST',
    path: '/allocations/{id}/adjustments',
    functionId: 'adjust-allocation',
    table: 'read-write',
    summary: 'Change the assigned capital of an allocation (signed delta, with reason)',
    roles: ['planner'],
    body: s.AdjustmentBody,
    idempotencyKey: 'optional',
    responses: {
      201: { description: 'Adjusted', schema: s.AdjustmentView },
      404: err('Unknown allocation'),
      409: err('below_committed: assigned would drop below reserved + disbursed'),
      ...outOfRange('assigned would exceed 10^15 VND, or a total is stored out of range'),
    },
  },
  {
    method: 'POST',
    path: '/allocations/{id}/extension',
    functionId: 'extend-allocation-deadline',
    table: 'read-write',
    summary:
      "Extend an allocation's disbursement deadline by a numbered decision (at most 31/12 of the year after the fiscal year)",
    roles: ['planner'],
    body: s.ExtensionBody,
    idempotencyKey: 'optional',
    responses: {
      201: { description: 'Extended', schema: s.ExtensionView },
      404: err('Unknown allocation'),
      422: err(
        'invalid_extension: the new deadline is not after the current one or is past 31/12 of the year after the fiscal year; amount_out_of_range: a total is stored out of range',
      ),
    },
  },
  {
    method: 'POST',
    path: '/fiscal-years/{year}/close',
    functionId: 'close-fiscal-year',
    table: 'read-write',
    summary:
      "Close the caller's jurisdiction's fiscal year (khóa sổ, chuyển nguồn): closing figures on every allocation, the chosen unspent balances carried over into next-year allocations, then no more writes on the year",
    roles: ['planner'],
    pathId: s.FiscalYearPath,
    body: s.CloseFiscalYearBody,
    idempotencyKey: 'optional',
    timeoutSeconds: 29,
    responses: {
      201: {
        description:
          'Closed; a year closed already answers its close again (Idempotent-Replay: true), whatever the body',
        schema: s.FiscalYearCloseView,
      },
      422: err(
        'invalid_carry_over: a carry-over names an allocation not of the year (or twice, or carried over already), or more than its unspent balance (details.field, details.maxVnd)',
      ),
    },
  },
  {
    method: 'POST',
    path: '/requests',
    functionId: 'submit-request',
    table: 'read-write',
    summary:
      'Submit a disbursement request (direct, or an advance or payment on a contract); reserves the cash out on the allocation and the claim on the contract',
    roles: ['finance'],
    body: s.SubmitRequestBody,
    idempotencyKey: 'required',
    responses: {
      201: { description: 'Submitted and reserved', schema: s.RequestView },
      404: err('Unknown allocation or contract'),
      409: err(
        "insufficient_funds, idempotency_key_reused, or disbursement_period_closed: the allocation's deadline has passed (details.deadline)",
      ),
      422: err(
        "amount_out_of_range: reserved would exceed 10^15 VND, or a total of the allocation is stored out of range; no_approval_policy: no approval policy covers the allocation's jurisdiction and fiscal year; advance_limit_exceeded: advances would pass the contract's limit; contract_value_exceeded: payments would pass the contract's value; recovery_invalid: the recovery is above what is outstanding or below the recovery rule; invalid_budget_code: budgetItem is not in the catalogue of the allocation's year and capital type",
      ),
    },
  },
  {
    method: 'GET',
    path: '/requests',
    functionId: 'list-requests',
    table: 'read',
    summary: 'List disbursement requests, newest first',
    roles: anyRole,
    query: s.ListRequestsQuery,
    responses: { 200: { description: 'A page of requests', schema: PageOf(s.RequestView) } },
  },
  {
    method: 'GET',
    path: '/requests/{id}',
    functionId: 'get-request',
    table: 'read',
    summary: 'One disbursement request',
    roles: anyRole,
    responses: {
      200: { description: 'The request', schema: s.RequestView },
      404: err('Unknown id'),
    },
  },
  {
    method: 'POST',
    path: '/requests/{id}/decisions',
    functionId: 'decide-request',
    table: 'read-write',
    sendsTo: FUNDING_LINES.map(approvalQueueId),
    summary:
      "Approve or reject at the request's next level; applied asynchronously by the funding line's handler",
    roles: [
      'approver-commune',
      'approver-district',
      'approver-district-leader',
      'approver-province',
      'treasury',
    ],
    body: s.DecisionBody,
    idempotencyKey: 'required',
    responses: {
      202: { description: 'Accepted for the funding line queue', schema: s.DecisionAccepted },
      404: err('Unknown request'),
      409: err(
        "not_pending, idempotency_key_reused, duplicate_voucher: the voucher number is recorded for another request of the fiscal year, or disbursement_period_closed: the allocation's deadline has passed (details.deadline; the request expires)",
      ),
      422: err(
        'voucher_required: the Treasury level approves with treasuryVoucher; voucher_not_expected: another decision carries one; invalid_value_date: the value date is outside the request’s window',
      ),
    },
  },
  {
    method: 'POST',
    path: '/requests/{id}/cancel',
    functionId: 'cancel-request',
    table: 'read-write',
    summary: 'Withdraw a pending request (its submitter); releases the reservation',
    roles: ['finance'],
    responses: {
      200: { description: 'Cancelled', schema: s.RequestView },
      404: err('Unknown request'),
      409: err('not_pending'),
      ...outOfRange('available would exceed 10^15 VND'),
    },
  },
] as const satisfies readonly RouteSpec[];
