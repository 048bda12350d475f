import type { Allocation } from '../../ledger/domain/allocation.ts';
import type {
  ReallocatedAllocation,
  ReallocationMove,
  ReallocationRules,
} from '../../ledger/domain/reallocation.ts';
import type { IsoDate } from '../../platform/vn-calendar.ts';
import type { ScopeForecast } from './forecast.ts';

/** How suggestions are sized (shared/platform/config/reallocation-suggestions). */
export interface SuggestionSettings {
  /** Moves are whole multiples of this many đồng, rounded down (never more than a source can give). */
  unitVnd: number;
  /** The point of a source's band at its deadline that says what it will spend: the rest may move. */
  sourcePercentile: 'p50' | 'p90';
}

/** What the matching reads of an allocation: what the reallocation rules read, and its figures. */
export type SuggestedAllocation = ReallocatedAllocation &
  Pick<Allocation, 'title' | 'reservedVnd' | 'disbursedVnd' | 'carriedFrom'>;

/**
 * An allocation's outlook at its deadline: capital forecast to be left unspent beyond what is committed
 * (`surplusVnd`), or demand forecast beyond what is assigned (`shortageVnd`); never both.
 */
export interface AllocationOutlook {
  allocation: SuggestedAllocation;
  deadline: IsoDate;
  /** The forecast band at the deadline, in percent of the assigned capital. */
  p10Percent: number;
  p50Percent: number;
  p90Percent: number;
  /** The pace the forecast projects at (1: as the curve expects). */
  pace: number;
  /** Disbursed plus the larger of the pending requests and the rest of the curve at the pace. */
  demandVnd: number;
  surplusVnd: number;
  shortageVnd: number;
}

/** A suggested move, with why in Vietnamese ("lý do"). */
export interface SuggestedMove extends ReallocationMove {
  reason: string;
}

/** Writes why a move is suggested from its source's and target's outlooks (presentation's words). */
export type ExplainMove = (
  from: AllocationOutlook,
  to: AllocationOutlook,
  percentile: SuggestionSettings['sourcePercentile'],
) => string;

const pct = (x: number) => Math.round(x * 10_000) / 100;
const floorTo = (amount: number, unit: number) => Math.floor(Math.max(0, amount) / unit) * unit;

/**
 * An allocation's outlook from its forecast and the curve's target at its deadline (a share, 1 = 100%).
 * Surplus: the assigned capital less the larger of what is committed (reserved + disbursed) and what the
 * source percentile says it will disburse, so a move never takes committed capital. Shortage: demand
 * (disbursed, plus the larger of the pending requests and the rest of the curve at the forecast's pace)
 * beyond what is assigned. Both rounded down to the unit; an allocation short of capital gives none.
 */
export const outlookOf = (
  allocation: SuggestedAllocation,
  forecast: ScopeForecast,
  targetShare: number,
  settings: SuggestionSettings,
): AllocationOutlook | undefined => {
  const band = forecast.deadline;
  const inputs = forecast.inputs;
  if (!band || !inputs || allocation.assignedVnd <= 0) return undefined;
  const { assignedVnd, reservedVnd, disbursedVnd } = allocation;
  const rest = inputs.pace * Math.max(0, targetShare - inputs.expectedRateAsOf) * assignedVnd;
  const demandVnd = Math.round(disbursedVnd + Math.max(reservedVnd, rest));
  const shortageVnd = floorTo(demandVnd - assignedVnd, settings.unitVnd);
  const willSpend = Math.ceil(band[settings.sourcePercentile] * assignedVnd);
  const surplusVnd =
    shortageVnd > 0
      ? 0
      : Math.min(
          floorTo(assignedVnd - Math.max(reservedVnd + disbursedVnd, willSpend), settings.unitVnd),
          allocation.availableVnd,
        );
  return {
    allocation,
    deadline: band.on,
    p10Percent: pct(band.p10),
    p50Percent: pct(band.p50),
    p90Percent: pct(band.p90),
    pace: inputs.pace,
    demandVnd,
    surplusVnd,
    shortageVnd,
  };
};

/**
 * Which allocations may trade under the rules: one fiscal year, by default one funding line and one
 * capital type; capital carried over from an earlier year (due by 31/12) never mixes with the year's own.
 */
export const groupKeyOf = (
  a: SuggestedAllocation,
  rules: Pick<ReallocationRules, 'sameFundingLine' | 'sameCapitalType'>,
): string =>
  [
    a.fiscalYear,
    rules.sameFundingLine ? a.fundingLine : '*',
    rules.sameCapitalType ? a.capitalType : '*',
    a.carriedFrom !== undefined ? 'carried' : 'own',
  ].join('|');

const bySize = (key: 'surplusVnd' | 'shortageVnd') => (a: AllocationOutlook, b: AllocationOutlook) =>
  b[key] - a[key] || a.allocation.id.localeCompare(b.allocation.id);

/**
 * Suggested moves ("đề xuất điều chỉnh kế hoạch vốn"): within each group the rules allow, the largest
 * remaining surplus goes to the largest remaining shortage, again and again, each move the smaller of
 * the two (whole units); ties by allocation id, so the answer is deterministic. A source never gives
 * more than its surplus (never more than its available), a target never gets more than its shortage,
 * no allocation both gives and receives, and nothing moves when nobody is short. Pure.
 */
export const matchMoves = (
  outlooks: readonly AllocationOutlook[],
  rules: Pick<ReallocationRules, 'sameFundingLine' | 'sameCapitalType'>,
  settings: SuggestionSettings,
  explain: ExplainMove,
): SuggestedMove[] => {
  const groups = new Map<string, AllocationOutlook[]>();
  for (const o of outlooks) {
    const key = groupKeyOf(o.allocation, rules);
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  const moves: SuggestedMove[] = [];
  for (const key of [...groups.keys()].sort()) {
    const members = groups.get(key) ?? [];
    const left = new Map(members.map((o) => [o.allocation.id, { give: o.surplusVnd, take: o.shortageVnd }]));
    const remaining = (o: AllocationOutlook) => left.get(o.allocation.id) ?? { give: 0, take: 0 };
    for (;;) {
      const source = members
        .filter((o) => remaining(o).give >= settings.unitVnd)
        .map((o) => ({ ...o, surplusVnd: remaining(o).give }))
        .sort(bySize('surplusVnd'))[0];
      const target = members
        .filter((o) => remaining(o).take >= settings.unitVnd)
        .map((o) => ({ ...o, shortageVnd: remaining(o).take }))
        .sort(bySize('shortageVnd'))[0];
      if (!source || !target) break;
      const amountVnd = floorTo(Math.min(source.surplusVnd, target.shortageVnd), settings.unitVnd);
      const original = (id: string) => members.find((o) => o.allocation.id === id) as AllocationOutlook;
      moves.push({
        fromAllocationId: source.allocation.id,
        toAllocationId: target.allocation.id,
        amountVnd,
        reason: explain(
          original(source.allocation.id),
          original(target.allocation.id),
          settings.sourcePercentile,
        ),
      });
      remaining(source).give -= amountVnd;
      remaining(target).take -= amountVnd;
    }
  }
  return moves;
};

/**
 * The moves cut into reallocations POST /reallocations takes as they are: one group's moves each (one
 * funding line and capital type when the rules ask), at most `maxMoves` per reallocation.
 */
export const batchMoves = (
  moves: readonly SuggestedMove[],
  outlooks: readonly AllocationOutlook[],
  rules: Pick<ReallocationRules, 'sameFundingLine' | 'sameCapitalType' | 'maxMoves'>,
): SuggestedMove[][] => {
  const byId = new Map(outlooks.map((o) => [o.allocation.id, o.allocation]));
  const batches = new Map<string, SuggestedMove[][]>();
  for (const m of moves) {
    const from = byId.get(m.fromAllocationId);
    if (!from) continue;
    const key = groupKeyOf(from, rules);
    const list = batches.get(key) ?? [[]];
    const last = list.at(-1) as SuggestedMove[];
    if (last.length >= rules.maxMoves) list.push([m]);
    else last.push(m);
    batches.set(key, list);
  }
  return [...batches.values()].flat().filter((b) => b.length > 0);
};
