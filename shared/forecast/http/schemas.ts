import * as z from 'zod';
import type {} from 'zod-openapi';
import { CAPITAL_TYPES } from '../../ledger/domain/funding-line.ts';
import { problems } from '../../platform/http/schemas.ts';
import { FORECAST_GROUPINGS } from '../domain/forecast-query.ts';

/** Text as given: the use case checks it and answers 422 invalid_forecast_query naming the field. */
const text = (description: string, example: string) =>
  z.string().max(64, 'must be at most 64 characters').optional().meta({ description, example });

/** `GET /forecasts` query. */
export const ForecastQuery = z.strictObject({
  fiscalYear: text('A year 2000–2100; default: the year of asOf', '2024'),
  asOf: text(
    'The day the forecast is made (YYYY-MM-DD, Vietnam time), today or earlier and in the fiscal year or after; default today. Only data dated up to it is read',
    '2024-09-30',
  ),
  groupBy: text(
    `One of ${FORECAST_GROUPINGS.join(', ')} (project: the component, DA1…DA7); default allocation`,
    'commune',
  ),
});

const RateForecastView = z
  .object({
    on: z.string().meta({ description: 'The date forecast (YYYY-MM-DD)' }),
    p10: z.number().meta({ description: 'Rate (fraction of assigned) the outcome exceeds 9 times in 10' }),
    p50: z.number().meta({ description: 'Central forecast of the rate' }),
    p90: z.number().meta({ description: 'Rate the outcome stays under 9 times in 10' }),
  })
  .meta({ id: 'RateForecast' });

const ForecastInputsView = z
  .object({
    shapeSource: z.enum(['curve', 'curve+pastYears']),
    pastYears: z.number(),
    pastYearsWeight: z.number(),
    expectedRateAsOf: z.number(),
    paceSinceJanuary: z.number().nullable(),
    paceRecent: z.number().nullable(),
    credibility: z.number(),
    pace: z.number(),
    pipelineRate: z.number(),
    pipelineConversion: z.number(),
    pastYearMissPoints: z.array(z.number()),
  })
  .meta({ id: 'ForecastInputs', description: 'The method’s inputs (docs/forecast.md)' });

export const ForecastRowView = z.object({
  key: z.string().meta({ description: 'The allocation id, commune, funding line or component the row is' }),
  capitalType: z.enum(CAPITAL_TYPES),
  carriedOver: z.boolean(),
  title: z.string().optional(),
  allocations: z.number(),
  assignedVnd: z.number(),
  disbursedVnd: z.number().meta({ description: 'Disbursed by the end of asOf' }),
  pipelineVnd: z.number().meta({ description: 'Requests submitted by asOf and not settled by then' }),
  rate: z
    .number()
    .nullable()
    .meta({ description: 'disbursedVnd ÷ assignedVnd; null when nothing is assigned' }),
  deadline: z.string().meta({ description: 'The latest deadline of the scope’s allocations' }),
  yearEnd: RateForecastView.nullable().meta({ description: 'Forecast rate at 31/12' }),
  atDeadline: RateForecastView.nullable().meta({ description: 'Forecast rate at the deadline' }),
  inputs: ForecastInputsView.nullable(),
});

export const ForecastReportView = z
  .object({
    fiscalYear: z.number(),
    asOf: z.string(),
    groupBy: z.enum(FORECAST_GROUPINGS),
    rows: z.array(ForecastRowView),
    problems,
  })
  .meta({ id: 'ForecastReport' });
