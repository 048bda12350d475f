import type { AuditStore } from '../../audit/app/ports.ts';
import { type Allocation, splitAllocations } from '../../ledger/domain/allocation.ts';
import { deadlineOf } from '../../ledger/domain/disbursement-deadline.ts';
import type { ReallocationMove, ReallocationPolicy } from '../../ledger/domain/reallocation.ts';
import { disbursedSince } from '../../monitoring/app/ledger-reads.ts';
import type { ProgressSource } from '../../monitoring/app/ports.ts';
import { forecastScopes } from '../../monitoring/domain/forecast-detector.ts';
import { type MonitoringConfig, policyFor } from '../../monitoring/domain/monitoring-policy.ts';
import { type Actor, jurisdictionOfScope, reachable, scopeOf } from '../../platform/access.ts';
import { deadlineRules } from '../../platform/config/fiscal-year/index.ts';
import { type IsoDate, vnDateOf } from '../../platform/vn-calendar.ts';
import { InvalidForecastQueryError } from '../domain/forecast-query.ts';
import {
  type AllocationOutlook,
  batchMoves,
  matchMoves,
  outlookOf,
  type SuggestedMove,
  type SuggestionSettings,
} from '../domain/reallocation-suggestions.ts';
import { forecastReadDates } from '../domain/series-from-totals.ts';
import { suggestionReason } from '../presentation/suggestion-reason.ts';

export interface SuggestionDeps {
  /** The year's allocations with their running totals. */
  progress: Pick<ProgressSource, 'listAllocationsOfYear'>;
  /** The posting-date index: what was posted within the forecast's recent window. */
  entries: Pick<AuditStore, 'queryEntries'>;
  /** The curves the forecast projects along. */
  config: MonitoringConfig;
  policy: ReallocationPolicy;
  settings: SuggestionSettings;
  now: () => Date;
}

/** A reallocation POST /reallocations takes once a decision number and date are added. */
export interface SuggestedReallocation {
  reason: string;
  moves: ReallocationMove[];
}

export interface Suggestions {
  fiscalYear: number;
  asOf: IsoDate;
  settings: SuggestionSettings & { sameFundingLine: boolean; sameCapitalType: boolean; maxMoves: number };
  /** Every move, with its reason. */
  moves: SuggestedMove[];
  /** The moves as bodies of POST /reallocations (add decisionNumber and decidedOn). */
  reallocations: SuggestedReallocation[];
  /** The allocations forecast to leave capital unspent or to run short, largest first. */
  allocations: AllocationOutlook[];
}

const dd = (date: IsoDate) => date.split('-').reverse().join('/');

/**
 * Suggested reallocations of a fiscal year ("đề xuất điều chỉnh kế hoạch vốn", docs/reallocations.md,
 * Suggestions): each open allocation of the caller's reach is forecast at `asOf` (today by default)
 * like the monitor does, from its running totals and the postings of the forecast's window; capital
 * forecast to stay unspent moves to allocations forecast to run short, within the jurisdiction's
 * reallocation rules. The moves are sized on the balances as they stand now, so they apply today.
 */
export const suggestReallocations = async (
  deps: SuggestionDeps,
  actor: Actor,
  input: { fiscalYear: number; asOf?: IsoDate },
): Promise<Suggestions> => {
  const { fiscalYear } = input;
  const today = vnDateOf(deps.now());
  const asOf = input.asOf ?? today;
  if (asOf > today) {
    throw new InvalidForecastQueryError(
      `query.asOf: ${asOf} is after today (${today}, Vietnam); a forecast reads nothing after its day. Give today or an earlier day.`,
      { field: 'query.asOf', today },
    );
  }
  if (asOf < `${fiscalYear}-01-01`) {
    throw new InvalidForecastQueryError(
      `query.asOf: ${asOf} is before fiscal year ${fiscalYear} began; give a day from ${fiscalYear}-01-01 on.`,
      { field: 'query.asOf', fiscalYear },
    );
  }
  const scope = scopeOf(actor);
  const jurisdiction = jurisdictionOfScope(scope);
  const rules = deps.policy.rulesFor(jurisdiction);
  const { items } = splitAllocations(
    reachable(scope, await deps.progress.listAllocationsOfYear(jurisdiction, fiscalYear)),
  );
  const deadline = (a: Allocation) => deadlineOf(deadlineRules, a);
  // Only what a reallocation may touch today: its year open, its deadline not passed.
  const open = items.filter((a) => a.closing === undefined && deadline(a) >= today);
  const since = forecastReadDates(fiscalYear, asOf, asOf)[0] ?? asOf;
  const rows = forecastScopes({
    allocations: open,
    postings: open.length > 0 ? await disbursedSince(deps.entries, jurisdiction, fiscalYear, since) : [],
    curves: policyFor(deps.config, fiscalYear, jurisdiction).curves,
    fiscalYear,
    asOf,
    deadlineOf: deadline,
    levels: ['allocation'],
  });
  const byId = new Map(open.map((a) => [a.id, a]));
  const outlooks = rows.flatMap((row) => {
    const allocation = byId.get(row.allocationIds[0] ?? '');
    const outlook = allocation && outlookOf(allocation, row.forecast, row.targetPercent / 100, deps.settings);
    return outlook ? [outlook] : [];
  });
  const moves = matchMoves(outlooks, rules, deps.settings, suggestionReason);
  const reason = `Điều chỉnh kế hoạch vốn năm ${fiscalYear} theo dự báo giải ngân ngày ${dd(asOf)}: chuyển vốn từ các khoản dự báo không giải ngân hết khi hết hạn sang các khoản dự báo thiếu vốn.`;
  return {
    fiscalYear,
    asOf,
    settings: {
      ...deps.settings,
      sameFundingLine: rules.sameFundingLine,
      sameCapitalType: rules.sameCapitalType,
      maxMoves: rules.maxMoves,
    },
    moves,
    reallocations: batchMoves(moves, outlooks, rules).map((batch) => ({
      reason,
      moves: batch.map(({ fromAllocationId, toAllocationId, amountVnd }) => ({
        fromAllocationId,
        toAllocationId,
        amountVnd,
      })),
    })),
    allocations: outlooks
      .filter((o) => o.surplusVnd > 0 || o.shortageVnd > 0)
      .sort(
        (a, b) =>
          b.surplusVnd + b.shortageVnd - (a.surplusVnd + a.shortageVnd) ||
          a.allocation.id.localeCompare(b.allocation.id),
      ),
  };
};
