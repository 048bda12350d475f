import type { AuditStore } from '../../audit/app/ports.ts';
import { readAllEntries } from '../../audit/app/read-all-entries.ts';
import { splitAllocations } from '../../ledger/domain/allocation.ts';
import { CAPITAL_TYPES } from '../../ledger/domain/funding-line.ts';
import {
  type Actor,
  jurisdictionOfScope,
  reachable,
  restrictFilter,
  scopeOf,
} from '../../platform/access.ts';
import { problemsField } from '../../platform/total-range.ts';
import { addDays, vnDateOf, vnMidnight, yearOf } from '../../platform/vn-calendar.ts';
import { seriesFromSummaries } from '../domain/day-summary.ts';
import { curvePoints } from '../domain/disbursement-series.ts';
import { type MonitoringConfig, policyFor } from '../domain/monitoring-policy.ts';
import type { DaySummaryStore, ProgressSource } from './ports.ts';

export interface SeriesDeps {
  progress: ProgressSource;
  audit: Pick<AuditStore, 'queryEntries'>;
  summaries: Pick<DaySummaryStore, 'listSeriesDays'>;
  config: MonitoringConfig;
  now: () => Date;
}

/**
 * The dashboard's line chart: a fiscal year's cumulative disbursement by day, per capital type (and
 * carried-over capital apart), with the expected curve of each kind for the caller's jurisdiction. Reads
 * the allocations' running totals, the year's day summaries (one small item per closed day, written by
 * the daily job: app/day-summaries.ts; of each, only the day's totals or the reader's commune) and the entries of the days after the last summarised one (a key
 * range of the posting-date index), so its reads do not grow with the ledger; a commune-scoped reader
 * sees their commune only. An allocation with a total stored out of range is left out, with its
 * entries, and named in `problems`.
 */
export const disbursementSeriesReport = async (
  deps: SeriesDeps,
  actor: Actor,
  input: { fiscalYear?: number },
) => {
  const asOf = vnDateOf(deps.now());
  const fiscalYear = input.fiscalYear ?? yearOf(asOf);
  const scope = scopeOf(actor);
  const jurisdiction = jurisdictionOfScope(scope);
  const { curves } = policyFor(deps.config, fiscalYear, jurisdiction);
  const listed = reachable(scope, await deps.progress.listAllocationsOfYear(jurisdiction, fiscalYear));
  const { items: allocations, problems } = splitAllocations(listed);
  const leftOut = new Set(problems.map((p) => p.allocationId));
  const filter = restrictFilter(scope, { fiscalYear });
  // Only the reader's part of each summarised day: the commune's cells, or the day's totals.
  const days = await deps.summaries.listSeriesDays(jurisdiction, fiscalYear, filter.commune);
  const lastSummarised = days.at(-1)?.date;
  const later = (
    await readAllEntries(deps.audit, {
      ...filter,
      ...(lastSummarised ? { from: vnMidnight(addDays(lastSummarised, 1)).toISOString() } : {}),
    })
  ).filter((e) => !leftOut.has(e.allocationId));
  // A left-out allocation's entries on summarised days come back out of their cells (rare: its own partition).
  const leftOutEntries = lastSummarised
    ? (
        await Promise.all(
          [...leftOut].map((allocationId) =>
            readAllEntries(deps.audit, {
              ...filter,
              allocationId,
              to: vnMidnight(addDays(lastSummarised, 1)).toISOString(),
            }),
          ),
        )
      ).flat()
    : [];
  return {
    fiscalYear,
    asOf,
    // Every capital type is judged now, each against its own curve; the field stays for older clients.
    judgedCapitalTypes: [...CAPITAL_TYPES],
    expected: curvePoints(curves.investment, fiscalYear),
    expectedCurves: {
      investment: curvePoints(curves.investment, fiscalYear),
      recurrent: curvePoints(curves.recurrent, fiscalYear),
      carriedOver: curvePoints(curves.carriedOver, fiscalYear),
    },
    series: seriesFromSummaries(allocations, days, later, {
      leftOut: leftOutEntries,
      leftOutCarried: new Set(listed.filter((a) => a.carriedFrom !== undefined).map((a) => a.id)),
    }),
    ...problemsField(problems),
  };
};
