import type { AuditStore } from '../../audit/app/ports.ts';
import { splitAllocations } from '../../ledger/domain/allocation.ts';
import type { LedgerEntry } from '../../ledger/domain/ledger-entry.ts';
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
import type { ProgressSource } from './ports.ts';

export interface SeriesDeps {
  progress: ProgressSource;
  audit: AuditStore;
  config: MonitoringConfig;
  now: () => Date;
}

/**
 * The dashboard's line chart: a fiscal year's cumulative disbursement by day, per capital type, with
 * the expected curve. Reads the year's entries through the ledger's posting-date index (a Query of
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
  const policy = policyFor(deps.config, fiscalYear);
  const scope = scopeOf(actor);
  const { items: allocations, problems } = splitAllocations(
    reachable(scope, await deps.progress.listAllocationsOfYear(jurisdictionOfScope(scope), fiscalYear)),
  );
  const leftOut = new Set(problems.map((p) => p.allocationId));
  const entries: LedgerEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.audit.queryEntries(restrictFilter(scope, { fiscalYear }), 500, cursor);
    entries.push(...page.items.filter((e) => !leftOut.has(e.allocationId)));
    cursor = page.nextCursor;
  } while (cursor);
  return {
    fiscalYear,
    asOf,
    judgedCapitalTypes: policy.judgedCapitalTypes,
    expected: curvePoints(policy.curve, fiscalYear),
    series: disbursementSeries(allocations, entries),
    ...problemsField(problems),
  };
};
