import type { RouteSpec } from '../../platform/http/route-spec.ts';
import { err } from '../../platform/http/schemas.ts';
import { ROLES } from '../../platform/roles.ts';
import * as s from './schemas.ts';

/** Routes of jurisdictions and their administrative units (issue 14): read from configuration. */
export const JURISDICTION_ROUTES = [
  {
    method: 'GET',
    path: '/jurisdictions',
    functionId: 'list-jurisdictions',
    table: 'none',
    summary: "The caller's own jurisdiction: the unit it serves (a province, centrally-run city or district)",
    roles: ROLES,
    query: s.NoQuery,
    responses: { 200: { description: 'Your jurisdiction', schema: s.JurisdictionsView } },
  },
  {
    method: 'GET',
    path: '/jurisdictions/{id}/units',
    functionId: 'list-jurisdiction-units',
    table: 'none',
    summary:
      "The administrative units of one's own jurisdiction that exist on a day (province, district and commune level)",
    roles: ROLES,
    pathId: s.JurisdictionIdPath,
    query: s.UnitsQuery,
    responses: {
      200: { description: 'The units on that day', schema: s.UnitsView },
      404: err('Unknown jurisdiction'),
    },
  },
] as const satisfies readonly RouteSpec[];
