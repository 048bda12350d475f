import { PROGRESS_READERS } from '../../monitoring/http/routes.ts';
import type { RouteSpec } from '../../platform/http/route-spec.ts';
import { err } from '../../platform/http/schemas.ts';
import * as f from './schemas.ts';

/** Routes of forecasts (issue 17). */
export const FORECAST_ROUTES = [
  {
    method: 'GET',
    path: '/forecasts',
    functionId: 'list-forecasts',
    table: 'read',
    summary:
      'Forecast disbursement rate at 31/12 and at the deadline (p10/p50/p90) per allocation, commune, funding line or project (component), with disbursed and pipeline at asOf; only data dated up to asOf is read',
    // Who reads progress reports (GET /reports/progress) reads forecasts.
    roles: PROGRESS_READERS,
    query: f.ForecastQuery,
    responses: {
      200: { description: 'The forecasts', schema: f.ForecastReportView },
      422: err('invalid_forecast_query: a groupBy, asOf or fiscalYear to fix (details.field names it)'),
    },
  },
] as const satisfies readonly RouteSpec[];
