import type { AuditStore } from '../../audit/app/ports.ts';
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
import { vnDateOf, yearOf } from '../../platform/vn-calendar.ts';
import { curvePoints, disbursementSeries } from '../domain/disbursement-series.ts';
import { type MonitoringConfig, policyFor } from '../domain/monitoring-policy.ts';
import { allEntries } from './ledger-reads.ts';
import type { ProgressSource } from './ports.ts';

export interface SeriesDeps {
  progress: ProgressSource;
  audit: AuditStore;
  config: MonitoringConfig;
  now: () => Date;
}

/**
 * The dashboard's line chart: a fiscal year's cumulative disbursement by day, per capital type (and
 * carried-over capital apart), with the expected curve of each kind for the caller's jurisdiction. Reads the year's entries through the ledger's posting-date index (a Query of
 * one index partition, never a table Scan) and the allocations' running totals; a commune-scoped
 * reader sees their commune only. An allocation with a total stored out of range is left out, with
 * its entries, and named in `problems`.
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
  const { items: allocations, problems } = splitAllocations(
    reachable(scope, await deps.progress.listAllocationsOfYear(jurisdiction, fiscalYear)),
  );
  const leftOut = new Set(problems.map((p) => p.allocationId));
  const entries = (await allEntries(deps.audit, restrictFilter(scope, { fiscalYear }))).filter(
    (e) => !leftOut.has(e.allocationId),
  );
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
    series: disbursementSeries(allocations, entries),
    ...problemsField(problems),
  };
};
