import type * as z from 'zod';
import { FUNDING_LINES, ROLES, type Role } from '../domain/funding-line.ts';
import { approvalQueueId } from '../topology-names.ts';
import { AUDIT_ROUTES } from './audit-routes.ts';
import { MONITORING_ROUTES } from './monitoring-routes.ts';
import * as s from './schemas.ts';
import { TARGET_ROUTES } from './target-routes.ts';

/** One HTTP route of the API: served by one Lambda function (`functionId`), named by file in functions/api/. */
export interface RouteSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  functionId: string;
  summary: string;
  /** Groups allowed in; `public` routes need no token. Finer checks (next level, submitter) happen in the use case. */
  roles: readonly Role[] | 'public';
  /** Schema of the `{id}` path parameter, when it is not an id the API generated (IdPath). */
  pathId?: z.ZodType;
  body?: z.ZodType;
  query?: z.ZodType;
  idempotencyKey?: 'required' | 'optional';
  /**
   * Table access the route's function needs (least privilege in AWS). `subscriptions`: read and update
   * subscription items (`SUB#…`) only.
   */
  table: 'none' | 'read' | 'read-write' | 'subscriptions';
  /** Queue ids (shared/topology.ts) the route's function sends to. */
  sendsTo?: readonly string[];
  /** Environment variables the deployment fills from a managed secret (e.g. CURSOR_SECRET). */
  secrets?: readonly string[];
  /** Environment variables the deployment fills from its settings (infra/deployment-settings.ts). */
  settings?: readonly string[];
  /** Sends e-mail (SES in AWS): gets the sender address and permission to send as it. */
  sendsEmail?: boolean;
  /**
   * Its answers other than the errors every route of its kind gives (400, 401, 403, 413, 415, 500, 503:
   * derived in openapi.ts): successes, with the schema their body is built from, and its own 404, 409, 422.
   */
  responses: Record<number, { description: string; schema?: z.ZodType; csv?: string }>;
}

const anyRole = ROLES;
const err = (description: string) => ({ description, schema: s.ErrorBody });
const outOfRange = s.outOfRangeResponse;

/** The core routes: plan capital, requests, decisions. */
const CORE_ROUTES = [
  {
    method: 'GET',
    path: '/health',
    functionId: 'health',
    table: 'none',
    summary: 'Liveness check',
    roles: 'public',
    responses: { 200: { description: 'Up', schema: s.Health } },
  },
  {
    method: 'GET',
    path: '/openapi.json',
    functionId: 'openapi',
    table: 'none',
    summary: 'This OpenAPI 3.1 document',
    roles: anyRole,
    responses: { 200: { description: 'OpenAPI document', schema: s.OpenApiDocumentView } },
  },
  {
    method: 'POST',
    path: '/allocations',
    functionId: 'create-allocation',
    table: 'read-write',
    summary: 'Record plan capital assigned for a year (kế hoạch vốn giao)',
    roles: ['planner'],
    body: s.CreateAllocationBody,
    idempotencyKey: 'optional',
    responses: { 201: { description: 'Created', schema: s.AllocationView } },
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
    path: '/requests',
    functionId: 'submit-request',
    table: 'read-write',
    summary: 'Submit a disbursement request; reserves the amount on the allocation',
    roles: ['finance'],
    body: s.SubmitRequestBody,
    idempotencyKey: 'required',
    responses: {
      201: { description: 'Submitted and reserved', schema: s.RequestView },
      404: err('Unknown allocation'),
      409: err('insufficient_funds or idempotency_key_reused'),
      ...outOfRange('reserved would exceed 10^15 VND, or a total of the allocation is stored out of range'),
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
    responses: { 200: { description: 'A page of requests', schema: s.PageOf(s.RequestView) } },
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
      409: err('not_pending or idempotency_key_reused'),
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

/** Every route of the HTTP API: read by the OpenAPI generator, the CDK app and the local gateway. */
export const ROUTES = [...CORE_ROUTES, ...MONITORING_ROUTES, ...AUDIT_ROUTES, ...TARGET_ROUTES] as const;

export type RouteFunctionId = (typeof ROUTES)[number]['functionId'];

export type RouteOf<I extends RouteFunctionId> = Extract<(typeof ROUTES)[number], { functionId: I }>;

export const routeById = <const I extends RouteFunctionId>(functionId: I): RouteOf<I> => {
  const route = ROUTES.find((r) => r.functionId === functionId);
  if (!route) throw new Error(`no route for ${functionId}`);
  return route as RouteOf<I>;
};
