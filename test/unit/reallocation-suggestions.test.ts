import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forecastScope } from '../../shared/forecast/domain/forecast.ts';
import {
  type AllocationOutlook,
  batchMoves,
  groupKeyOf,
  matchMoves,
  outlookOf,
  type SuggestedAllocation,
  type SuggestionSettings,
} from '../../shared/forecast/domain/reallocation-suggestions.ts';
import { suggestionReason } from '../../shared/forecast/presentation/suggestion-reason.ts';
import { checkReallocation, type ReallocationRules } from '../../shared/ledger/domain/reallocation.ts';
import { monitoringConfig } from '../../shared/monitoring/config/monitoring.ts';
import { anAllocation } from './support/domain-fixtures.ts';

const M = 1_000_000;
const B = 1_000 * M;
const settings: SuggestionSettings = { unitVnd: M, sourcePercentile: 'p90' };
const rules: ReallocationRules = {
  approval: 'none',
  maxMoves: 20,
  sameFundingLine: true,
  sameCapitalType: true,
};

/** An outlook with the given surplus or shortage (the forecast figures do not matter to the matching). */
const outlook = (a: Partial<SuggestedAllocation> & { id: string }, surplusVnd: number, shortageVnd = 0) =>
  ({
    allocation: anAllocation({ assignedVnd: 10 * B, availableVnd: 10 * B, ...a }),
    deadline: '2025-01-31',
    p10Percent: 0,
    p50Percent: 0,
    p90Percent: 0,
    pace: 1,
    demandVnd: 0,
    surplusVnd,
    shortageVnd,
  }) satisfies AllocationOutlook;

const outlooks = fc
  .array(
    fc.record({
      line: fc.constantFrom('central', 'provincial') as fc.Arbitrary<'central' | 'provincial'>,
      type: fc.constantFrom('investment', 'recurrent') as fc.Arbitrary<'investment' | 'recurrent'>,
      surplus: fc.integer({ min: 0, max: 500 }),
      shortage: fc.integer({ min: 0, max: 500 }),
      giver: fc.boolean(),
    }),
    { maxLength: 12 },
  )
  .map((xs) =>
    xs.map((x, i) =>
      outlook(
        { id: `a${i}`, fundingLine: x.line, capitalType: x.type, availableVnd: x.surplus * M },
        x.giver ? x.surplus * M : 0,
        x.giver ? 0 : x.shortage * M,
      ),
    ),
  );

describe('matching surplus to shortage', () => {
  it('conserves capital, keeps to the rules and the sizes, never moves to itself, in whole units', () => {
    fc.assert(
      fc.property(outlooks, fc.boolean(), (list, sameFundingLine) => {
        const r = { ...rules, sameFundingLine };
        const moves = matchMoves(list, r, settings, suggestionReason);
        const byId = new Map(list.map((o) => [o.allocation.id, o]));
        const given = new Map<string, number>();
        const taken = new Map<string, number>();
        for (const m of moves) {
          const from = byId.get(m.fromAllocationId);
          const to = byId.get(m.toAllocationId);
          expect(m.fromAllocationId).not.toBe(m.toAllocationId);
          expect(m.amountVnd % M).toBe(0);
          expect(m.amountVnd).toBeGreaterThan(0);
          expect(from && to && groupKeyOf(from.allocation, r) === groupKeyOf(to.allocation, r)).toBe(true);
          given.set(m.fromAllocationId, (given.get(m.fromAllocationId) ?? 0) + m.amountVnd);
          taken.set(m.toAllocationId, (taken.get(m.toAllocationId) ?? 0) + m.amountVnd);
        }
        for (const [id, amount] of given) {
          const o = byId.get(id);
          expect(amount).toBeLessThanOrEqual(Math.min(o?.surplusVnd ?? 0, o?.allocation.availableVnd ?? 0));
          expect(taken.has(id)).toBe(false);
        }
        for (const [id, amount] of taken) expect(amount).toBeLessThanOrEqual(byId.get(id)?.shortageVnd ?? 0);
        const sum = (m: Map<string, number>) => [...m.values()].reduce((s, x) => s + x, 0);
        expect(sum(given)).toBe(sum(taken));
        // Greedy until one side of each group is spent: what is left cannot be matched.
        for (const key of new Set(list.map((o) => groupKeyOf(o.allocation, r)))) {
          const group = list.filter((o) => groupKeyOf(o.allocation, r) === key);
          const left = (o: AllocationOutlook, k: 'surplusVnd' | 'shortageVnd', moved: Map<string, number>) =>
            o[k] - (moved.get(o.allocation.id) ?? 0);
          const surplusLeft = group.reduce((s, o) => s + left(o, 'surplusVnd', given), 0);
          const shortageLeft = group.reduce((s, o) => s + left(o, 'shortageVnd', taken), 0);
          expect(surplusLeft === 0 || shortageLeft === 0).toBe(true);
        }
        // The same answer every time, and every batch a valid POST /reallocations on the allocations.
        expect(matchMoves([...list].reverse(), r, settings, suggestionReason)).toEqual(moves);
        for (const batch of batchMoves(moves, list, r)) {
          expect(batch.length).toBeLessThanOrEqual(r.maxMoves);
          const allocations = new Map(
            list.map((o) => [o.allocation.id, { ...o.allocation, deadline: '2025-01-31' }] as const),
          );
          expect(() =>
            checkReallocation(r, batch, allocations, {
              today: '2024-10-01',
              defaultDeadline: () => '2025-01-31',
            }),
          ).not.toThrow();
        }
      }),
      { seed: 17, numRuns: 300 },
    );
  });

  it('moves nothing when nobody is short', () => {
    expect(
      matchMoves(
        [outlook({ id: 'a' }, 500 * M), outlook({ id: 'b' }, 200 * M)],
        rules,
        settings,
        suggestionReason,
      ),
    ).toEqual([]);
  });

  it('gives the largest surplus to the largest shortage first, and explains each move in Vietnamese', () => {
    const moves = matchMoves(
      [
        outlook({ id: 'slow', title: 'Đường A', commune: 'Dang' }, 700 * M),
        outlook({ id: 'slower', title: 'Đường B', commune: 'Lăng' }, 900 * M),
        outlook({ id: 'fast', title: 'Nhà ở', commune: 'A Xan' }, 0, 1_200 * M),
        outlook({ id: 'other-line', fundingLine: 'provincial' }, 0, 300 * M),
      ],
      rules,
      settings,
      suggestionReason,
    );

    expect(moves.map(({ reason: _, ...m }) => m)).toEqual([
      { fromAllocationId: 'slower', toAllocationId: 'fast', amountVnd: 900 * M },
      { fromAllocationId: 'slow', toAllocationId: 'fast', amountVnd: 300 * M },
    ]);
    expect(moves[0]?.reason).toContain('Chuyển từ "Đường B" (Lăng): dự báo chỉ giải ngân');
    expect(moves[0]?.reason).toContain('sang "Nhà ở" (A Xan): tốc độ giải ngân gấp');
  });

  it('cuts the moves into reallocations of at most maxMoves, one group each', () => {
    const list = [
      ...Array.from({ length: 5 }, (_, i) => outlook({ id: `s${i}` }, 100 * M)),
      outlook({ id: 't' }, 0, 1_000 * M),
      outlook({ id: 'ps', fundingLine: 'provincial' }, 50 * M),
      outlook({ id: 'pt', fundingLine: 'provincial' }, 0, 50 * M),
    ];
    const moves = matchMoves(list, rules, settings, suggestionReason);

    expect(batchMoves(moves, list, { ...rules, maxMoves: 2 }).map((b) => b.length)).toEqual([2, 2, 1, 1]);
  });
});

describe("an allocation's outlook", () => {
  const curve = monitoringConfig.curves.defaults.investment;
  const forecastOf = (a: SuggestedAllocation, postedOn: string) =>
    forecastScope({
      fiscalYear: 2024,
      asOf: '2024-10-01',
      assignedVnd: a.assignedVnd,
      series: a.disbursedVnd > 0 ? [{ date: postedOn, cumulativeVnd: a.disbursedVnd }] : [],
      pipelineVnd: a.reservedVnd,
      curve,
      deadline: '2025-01-31',
    });

  it('offers what a late starter will leave unspent, never what is committed', () => {
    const late = anAllocation({ assignedVnd: 2 * B, reservedVnd: 1_500 * M, availableVnd: 500 * M });
    const o = outlookOf(late, forecastOf(late, '2024-10-01'), 1, settings);

    expect(o?.shortageVnd).toBe(0);
    expect(o?.surplusVnd).toBeGreaterThan(0);
    expect(o?.surplusVnd).toBeLessThanOrEqual(500 * M);
    expect((o?.surplusVnd ?? 0) % M).toBe(0);
  });

  it('finds a fast allocation (90% paid on 1 October) short of capital, with no surplus', () => {
    const fast = anAllocation({ assignedVnd: B, disbursedVnd: 900 * M, availableVnd: 100 * M });
    const o = outlookOf(fast, forecastOf(fast, '2024-10-01'), 1, settings);

    expect(o?.surplusVnd).toBe(0);
    expect(o?.pace).toBeGreaterThan(1);
    expect(o?.shortageVnd).toBeGreaterThan(0);
    expect(o?.shortageVnd).toBe(Math.floor(((o?.demandVnd ?? 0) - B) / M) * M);
  });
});
