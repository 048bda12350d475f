import type { RouteSpec } from '../../platform/http/route-spec.ts';
import { err } from '../../platform/http/schemas.ts';
import * as s from './suggestion-schemas.ts';

/**
 * Reallocation suggestions from forecasts: read by who makes reallocations (planner), who approves them
 * (province approver), and who watches and checks the plan (inspector, auditor).
 */
export const SUGGESTION_ROUTES = [
  {
    method: 'GET',
    path: '/reallocations/suggestions',
    functionId: 'suggest-reallocations',
    table: 'read',
    summary:
      "Suggested reallocations of a fiscal year (đề xuất điều chỉnh kế hoạch vốn): capital forecast to stay unspent at its deadline moved to allocations forecast to run short, within the jurisdiction's rules; ready as bodies of POST /reallocations",
    roles: ['planner', 'approver-province', 'inspector', 'auditor'],
    query: s.SuggestionsQuery,
    responses: {
      200: { description: 'The suggestions (no move when nobody is short)', schema: s.SuggestionsView },
      422: err('invalid_forecast_query: asOf is after today or before the fiscal year began (details.field)'),
    },
  },
] as const satisfies readonly RouteSpec[];
