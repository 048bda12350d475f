import type { RouteSpec } from '../../platform/http/route-spec.ts';
import { err } from '../../platform/http/schemas.ts';
import { ROLES } from '../../platform/roles.ts';
import * as r from './reallocation-schemas.ts';

const REFUSED_ON_RULES =
  'insufficient_funds: a source gives more than its available balance (details.availableVnd); too_many_moves: more moves than the policy allows (details.maxMoves); circular_reallocation: a move to itself, or an allocation both giving and receiving; fiscal_year_mismatch, funding_line_mismatch, capital_type_mismatch: allocations of another year, line or type than the first (details.field); amount_out_of_range: a target would pass 10^15 VND';
const REFUSED_ON_PERIOD =
  "fiscal_year_closed: an allocation's year is closed; disbursement_period_closed: an allocation's deadline has passed (details.deadline)";

/**
 * Reallocations of plan capital between allocations ("điều chỉnh kế hoạch vốn"): made by a planner,
 * approved by a province approver where the jurisdiction's policy asks for it, read by every role.
 */
export const REALLOCATION_ROUTES = [
  {
    method: 'POST',
    path: '/reallocations',
    functionId: 'create-reallocation',
    table: 'read-write',
    summary:
      'Move assigned capital between allocations of one year by a numbered decision (điều chỉnh kế hoạch vốn): all moves apply or none, each an entry on both chains; pending a province approval where the policy asks for one',
    roles: ['planner'],
    body: r.CreateReallocationBody,
    idempotencyKey: 'required',
    responses: {
      201: {
        description:
          'Recorded: status applied (every move on both allocations) or pending_approval (nothing moved until a province approver approves)',
        schema: r.ReallocationView,
      },
      404: err('Unknown allocation (in the caller’s jurisdiction)'),
      409: err(`idempotency_key_reused; ${REFUSED_ON_PERIOD}`),
      422: err(REFUSED_ON_RULES),
    },
  },
  {
    method: 'GET',
    path: '/reallocations',
    functionId: 'list-reallocations',
    table: 'read',
    summary: "A fiscal year's reallocations of the caller's jurisdiction, oldest first",
    roles: ROLES,
    query: r.ListReallocationsQuery,
    responses: {
      200: {
        description:
          'The reallocations within the caller’s reach (touching their commune, when limited to one)',
        schema: r.ReallocationList,
      },
    },
  },
  {
    method: 'GET',
    path: '/reallocations/{id}',
    functionId: 'get-reallocation',
    table: 'read',
    summary: 'One reallocation',
    roles: ROLES,
    responses: {
      200: { description: 'The reallocation', schema: r.ReallocationView },
      404: err('Unknown id'),
    },
  },
  {
    method: 'POST',
    path: '/reallocations/{id}/approve',
    functionId: 'approve-reallocation',
    table: 'read-write',
    summary:
      'Approve a pending reallocation (a province approver other than its maker: four_eyes): its rules are checked again on the balances as they stand and all its moves apply, or none',
    roles: ['approver-province'],
    body: r.ReallocationDecisionBody,
    idempotencyKey: 'optional',
    responses: {
      200: { description: 'Applied', schema: r.ReallocationView },
      404: err('Unknown reallocation or allocation'),
      409: err(
        `not_pending: it was applied or rejected already; idempotency_key_reused; ${REFUSED_ON_PERIOD}`,
      ),
      422: err(REFUSED_ON_RULES),
    },
  },
  {
    method: 'POST',
    path: '/reallocations/{id}/reject',
    functionId: 'reject-reallocation',
    table: 'read-write',
    summary:
      'Reject a pending reallocation (a province approver other than its maker: four_eyes); nothing moves',
    roles: ['approver-province'],
    body: r.ReallocationDecisionBody,
    idempotencyKey: 'optional',
    responses: {
      200: { description: 'Rejected', schema: r.ReallocationView },
      404: err('Unknown reallocation'),
      409: err('not_pending: it was applied or rejected already; idempotency_key_reused'),
    },
  },
] as const satisfies readonly RouteSpec[];
