import type { RouteSpec } from '../../platform/http/route-spec.ts';
import { err } from '../../platform/http/schemas.ts';
import { ROLES } from '../../platform/roles.ts';
import * as t from './schemas.ts';

/** Routes of plan targets (issue 6): the year's indicators with their progress, measurements, definitions. */
export const TARGET_ROUTES = [
  {
    method: 'GET',
    path: '/targets',
    functionId: 'list-targets',
    table: 'read',
    summary:
      "The year's plan indicators (chỉ tiêu) with target, actual, progress and status; outputs counted from disbursed requests",
    roles: ROLES,
    query: t.ListTargetsQuery,
    responses: { 200: { description: 'The indicators', schema: t.TargetsView } },
  },
  {
    method: 'POST',
    path: '/targets/{id}/measurements',
    functionId: 'record-measurement',
    table: 'read-write',
    summary:
      'Record a measured value of an indicator (e.g. poor households after the annual review), with date and source',
    roles: ['planner'],
    pathId: t.IndicatorIdPath,
    body: t.MeasurementBody,
    idempotencyKey: 'required',
    responses: {
      201: { description: 'Recorded; the indicator as it now stands', schema: t.IndicatorView },
      404: err('Unknown indicator'),
      409: err('not_measured (the indicator is counted or computed) or idempotency_key_reused'),
    },
  },
  {
    method: 'PUT',
    path: '/targets/{id}',
    functionId: 'define-indicator',
    table: 'read-write',
    summary:
      "Create or replace a plan indicator's definition: name, unit, target, source, output keys, breakdown",
    roles: ['planner'],
    pathId: t.IndicatorIdPath,
    body: t.IndicatorBody,
    responses: {
      201: { description: 'Created', schema: t.IndicatorView },
      200: { description: 'Replaced', schema: t.IndicatorView },
    },
  },
] as const satisfies readonly RouteSpec[];
