import { type ForecastReportDeps, forecastReport } from '../../forecast/app/forecast-report.ts';
import { type JurisdictionCatalog, placeNamesIn } from '../../jurisdictions/app/jurisdictions.ts';
import type { PlaceNames } from '../../jurisdictions/domain/place-names.ts';
import {
  measuredProgress,
  type ProgressReportDeps,
  type ProgressReportInput,
} from '../../monitoring/app/progress-report.ts';
import { type Actor, jurisdictionOfScope, scopeOf } from '../../platform/access.ts';
import type { TotalsProblem } from '../../platform/total-range.ts';
import { vnDateOf } from '../../platform/vn-calendar.ts';
import { type DisbursementReport, disbursementReport } from '../domain/disbursement-report.ts';

export type DisbursementReportDeps = ProgressReportDeps &
  ForecastReportDeps & {
    jurisdictions: JurisdictionCatalog;
  };

/** What a report file is written from: the report and the names it is written with. */
export interface DisbursementReportOutput {
  report: DisbursementReport;
  /** The caller's jurisdiction's places, as they were on the report's day. */
  places: PlaceNames;
  /** The commune a commune-scoped reader's report is confined to. */
  commune?: string;
  /** Allocations left out (a total stored out of range), as GET /reports/progress lists them. */
  problems: TotalsProblem[];
}

/**
 * The disbursement result report of the caller's jurisdiction for a fiscal year at a day, scoped as
 * GET /reports/progress is (same query, same reach: a commune-scoped reader sees their commune) and
 * built from the same measured rows, with each allocation's median forecast at 31/12 from GET
 * /forecasts when the day is one a forecast can be made from (today or earlier, in the fiscal year).
 */
export const disbursementReportOf = async (
  deps: DisbursementReportDeps,
  actor: Actor,
  input: ProgressReportInput,
): Promise<DisbursementReportOutput> => {
  const measured = await measuredProgress(deps, actor, { ...input, groupBy: 'allocation' });
  const { fiscalYear, asOf } = measured;
  const forecastable = asOf <= vnDateOf(deps.now()) && asOf >= `${fiscalYear}-01-01`;
  const yearEndRates = forecastable
    ? new Map(
        (
          await forecastReport(deps, actor, { fiscalYear: String(fiscalYear), asOf, groupBy: 'allocation' })
        ).rows.flatMap((r) => (r.yearEnd ? [[r.key, r.yearEnd.p50] as const] : [])),
      )
    : null;
  const scope = scopeOf(actor);
  return {
    report: disbursementReport({ fiscalYear, asOf, rows: measured.rows, yearEndRates }),
    places: placeNamesIn(deps.jurisdictions, jurisdictionOfScope(scope), asOf),
    ...(scope.reach.commune !== undefined ? { commune: scope.reach.commune } : {}),
    problems: measured.problems,
  };
};
