import type { Suggestions } from '../app/suggest-reallocations.ts';

/** The suggestions as the API shows them: each allocation's outlook flattened, in reading order. */
export const suggestionsView = (s: Suggestions) => ({
  fiscalYear: s.fiscalYear,
  asOf: s.asOf,
  settings: s.settings,
  moves: s.moves,
  reallocations: s.reallocations,
  allocations: s.allocations.map((o) => ({
    allocationId: o.allocation.id,
    title: o.allocation.title,
    commune: o.allocation.commune,
    fundingLine: o.allocation.fundingLine,
    capitalType: o.allocation.capitalType,
    assignedVnd: o.allocation.assignedVnd,
    committedVnd: o.allocation.reservedVnd + o.allocation.disbursedVnd,
    availableVnd: o.allocation.availableVnd,
    deadline: o.deadline,
    p10Percent: o.p10Percent,
    p50Percent: o.p50Percent,
    p90Percent: o.p90Percent,
    pace: o.pace,
    demandVnd: o.demandVnd,
    surplusVnd: o.surplusVnd,
    shortageVnd: o.shortageVnd,
  })),
});
