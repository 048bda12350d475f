import { AppError } from '../../platform/errors.ts';
import { type IsoDate, isIsoDate, yearOf } from '../../platform/vn-calendar.ts';

/** The ways `GET /forecasts` groups scopes; `project` is the programme's component (DA1…DA7, "dự án"). */
export const FORECAST_GROUPINGS = ['allocation', 'commune', 'fundingLine', 'project'] as const;
export type ForecastGrouping = (typeof FORECAST_GROUPINGS)[number];

/** A forecast query the caller must fix: 422 `invalid_forecast_query`, naming the field. */
export class InvalidForecastQueryError extends AppError {
  readonly code = 'invalid_forecast_query';
  readonly status = 422;
}

/** A checked forecast query: the fiscal year, the day the forecast is made, the grouping. */
export interface ForecastQuery {
  fiscalYear: number;
  asOf: IsoDate;
  groupBy: ForecastGrouping;
}

const refuse = (field: string, value: string, why: string): never => {
  throw new InvalidForecastQueryError(`query.${field}: ${why}.`, { field: `query.${field}`, value });
};

/**
 * Checks `fiscalYear`, `asOf` and `groupBy` as given (text): asOf a real day no later than `today` (a
 * forecast is made from what is known) and no earlier than 1 January of the fiscal year; the fiscal
 * year a whole year 2000–2100 (default: asOf's); groupBy one of the groupings (default allocation).
 */
export const parseForecastQuery = (
  raw: { fiscalYear?: string | undefined; asOf?: string | undefined; groupBy?: string | undefined },
  today: IsoDate,
): ForecastQuery => {
  const groupBy = raw.groupBy ?? 'allocation';
  if (!(FORECAST_GROUPINGS as readonly string[]).includes(groupBy))
    refuse('groupBy', groupBy, `must be one of ${FORECAST_GROUPINGS.join(', ')}`);
  const asOf = raw.asOf ?? today;
  if (!isIsoDate(asOf)) refuse('asOf', asOf, 'must be a calendar date written YYYY-MM-DD, in Vietnam time');
  if (asOf > today)
    refuse('asOf', asOf, `must be today (${today}) or earlier: a forecast is made from what is known`);
  const yearText = raw.fiscalYear ?? String(yearOf(asOf));
  const fiscalYear = Number(yearText);
  if (!/^\d{4}$/.test(yearText) || fiscalYear < 2000 || fiscalYear > 2100)
    refuse('fiscalYear', yearText, 'must be a year between 2000 and 2100');
  if (asOf < `${fiscalYear}-01-01`)
    refuse(
      'asOf',
      asOf,
      `must be on or after 1 January ${fiscalYear}: nothing of the fiscal year is known before`,
    );
  return { fiscalYear, asOf, groupBy: groupBy as ForecastGrouping };
};
