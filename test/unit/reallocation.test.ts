import { describe, expect, it } from 'vitest';
import {
  approveReallocation,
  createReallocation,
  getReallocation,
  listReallocations,
  type ReallocationDeps,
  rejectReallocation,
} from '../../shared/ledger/app/reallocations.ts';
import type { Allocation } from '../../shared/ledger/domain/allocation.ts';
import { verifyChain } from '../../shared/ledger/domain/hash-chain.ts';
import { imbalance } from '../../shared/ledger/domain/ledger-entry.ts';
import {
  checkMoves,
  checkReallocation,
  type ReallocationRules,
  reallocationSteps,
} from '../../shared/ledger/domain/reallocation.ts';
import { buildStatement } from '../../shared/ledger/domain/statement.ts';
import { loadReallocationPolicy } from '../../shared/platform/config/reallocation-policy/index.ts';
import { caught } from './support/caught.ts';
import { anActor, anAllocation, T0 } from './support/domain-fixtures.ts';
import { InMemoryLedgerStore } from './support/in-memory-ledger-store.ts';

const RULES: ReallocationRules = {
  approval: 'none',
  maxMoves: 3,
  sameFundingLine: true,
  sameCapitalType: true,
};
const PERIOD = { today: '2024-10-01', defaultDeadline: () => '2025-01-31' };
const byId = (...allocations: Allocation[]) => new Map(allocations.map((a) => [a.id, a]));
const move = (fromAllocationId: string, toAllocationId: string, amountVnd: number) => ({
  fromAllocationId,
  toAllocationId,
  amountVnd,
});

describe('reallocation rules', () => {
  const slow = anAllocation({
    id: 'slow',
    availableVnd: 300,
    assignedVnd: 1_000,
    reservedVnd: 200,
    disbursedVnd: 500,
  });
  const fast = anAllocation({ id: 'fast', assignedVnd: 1_000, availableVnd: 0, disbursedVnd: 1_000 });

  it('accepts a move within what the source has available', () => {
    expect(() =>
      checkReallocation(RULES, [move('slow', 'fast', 300)], byId(slow, fast), PERIOD),
    ).not.toThrow();
  });

  it('refuses a move larger than the source has available with insufficient_funds (422), naming the balance', () => {
    const error = caught(() =>
      checkReallocation(RULES, [move('slow', 'fast', 301)], byId(slow, fast), PERIOD),
    );
    expect(error).toMatchObject({
      code: 'insufficient_funds',
      status: 422,
      details: { field: 'body.moves[0]', allocationId: 'slow', availableVnd: 300, amountVnd: 301 },
    });
  });

  it('sums what one source gives over its moves before judging it', () => {
    const third = anAllocation({ id: 'third' });
    const error = caught(() =>
      checkReallocation(
        RULES,
        [move('slow', 'fast', 200), move('slow', 'third', 101)],
        byId(slow, fast, third),
        PERIOD,
      ),
    );
    expect(error).toMatchObject({ code: 'insufficient_funds', details: { amountVnd: 301 } });
  });

  it('refuses more moves than the policy allows with too_many_moves', () => {
    const moves = [1, 2, 3, 4].map((n) => move('slow', `t${n}`, 1));
    expect(caught(() => checkMoves(RULES, moves))).toMatchObject({
      code: 'too_many_moves',
      status: 422,
      details: { maxMoves: 3 },
    });
  });

  it('refuses a move to itself and an allocation both giving and receiving with circular_reallocation', () => {
    expect(caught(() => checkMoves(RULES, [move('a', 'a', 1)]))).toMatchObject({
      code: 'circular_reallocation',
    });
    expect(caught(() => checkMoves(RULES, [move('a', 'b', 1), move('b', 'c', 1)]))).toMatchObject({
      code: 'circular_reallocation',
      details: { field: 'body.moves[0]', allocationId: 'b' },
    });
  });

  it('refuses another fiscal year, funding line or capital type with its own code', () => {
    const check = (other: Partial<Allocation>, rules = RULES) =>
      caught(() =>
        checkReallocation(
          rules,
          [move('slow', 'x', 1)],
          byId(slow, anAllocation({ id: 'x', ...other })),
          PERIOD,
        ),
      );
    expect(check({ fiscalYear: 2025 })).toMatchObject({ code: 'fiscal_year_mismatch', status: 422 });
    expect(check({ fundingLine: 'provincial' })).toMatchObject({ code: 'funding_line_mismatch' });
    expect(check({ capitalType: 'recurrent' })).toMatchObject({ code: 'capital_type_mismatch' });
    // The policy may open lines and types, never years.
    const open = { ...RULES, sameFundingLine: false, sameCapitalType: false };
    const other = anAllocation({ id: 'x', fundingLine: 'provincial', capitalType: 'recurrent' });
    expect(() => checkReallocation(open, [move('slow', 'x', 1)], byId(slow, other), PERIOD)).not.toThrow();
  });

  it('refuses a closed year (fiscal_year_closed) and a passed deadline (disbursement_period_closed)', () => {
    const closed = anAllocation({
      id: 'closed',
      closing: {
        decisionNumber: '1/QĐ',
        decidedOn: '2025-02-10',
        assignedVnd: 1,
        disbursedVnd: 0,
        returnedVnd: 1,
        carriedOverVnd: 0,
        closedAt: T0,
        closedBy: 'p',
      },
    });
    expect(
      caught(() => checkReallocation(RULES, [move('slow', 'closed', 1)], byId(slow, closed), PERIOD)),
    ).toMatchObject({
      code: 'fiscal_year_closed',
    });
    const past = anAllocation({ id: 'past', deadline: '2024-09-30' });
    expect(
      caught(() => checkReallocation(RULES, [move('past', 'fast', 1)], byId(past, fast), PERIOD)),
    ).toMatchObject({
      code: 'disbursement_period_closed',
    });
  });
});

describe('reallocation entries', () => {
  const a = anAllocation({ id: 'a', jurisdiction: 'tay-giang' });
  const b = anAllocation({ id: 'b', jurisdiction: 'tay-giang' });
  const c = anAllocation({ id: 'c', jurisdiction: 'tay-giang' });
  const reallocation = {
    id: 'r1',
    decisionNumber: '12/QĐ-UBND',
    decidedOn: '2024-10-01',
    reason: 'Chuyển vốn từ dự án chậm sang dự án nhanh',
    requestedBy: 'planner-1',
    moves: [move('a', 'b', 100), move('a', 'c', 50)],
  };

  it('chains one entry per move on each side, balanced, naming the decision and the counterpart, conserving the total', () => {
    const steps = reallocationSteps(reallocation, byId(a, b, c), T0);
    expect(steps.map((s) => [s.allocation.id, s.deltaVnd, s.entries.map((e) => e.kind)])).toEqual([
      ['a', -150, ['reallocation-out', 'reallocation-out']],
      ['b', 100, ['reallocation-in']],
      ['c', 50, ['reallocation-in']],
    ]);
    expect(steps.reduce((sum, s) => sum + s.deltaVnd, 0)).toBe(0);
    const entries = steps.flatMap((s) => s.entries);
    expect(entries.every((e) => imbalance(e) === 0)).toBe(true);
    for (const s of steps) expect(verifyChain(s.entries).valid).toBe(true);
    expect(steps[0]?.entries[1]).toMatchObject({
      seq: 2,
      prevHash: steps[0]?.entries[0]?.hash,
      reallocation: {
        reallocationId: 'r1',
        decisionNumber: '12/QĐ-UBND',
        move: 1,
        counterpartAllocationId: 'c',
      },
    });
  });

  it('lists them in the statement with their decision, without counting them as disbursed', () => {
    const [source] = reallocationSteps(reallocation, byId(a, b, c), T0);
    const statement = buildStatement(a, source?.entries ?? []);
    expect(
      statement.lines.map((l) => [
        l.kind,
        l.amountVnd,
        l.balanceVnd,
        l.reallocation?.counterpartAllocationId,
      ]),
    ).toEqual([
      ['reallocation-out', 100, 0, 'b'],
      ['reallocation-out', 50, 0, 'c'],
    ]);
    expect(statement.agreesWithAllocation).toBe(true);
  });
});

describe('reallocation policy file', () => {
  it('refuses a cap past what one transaction holds, naming the field', () => {
    expect(() =>
      loadReallocationPolicy({
        source: 'x',
        default: { approval: 'none', maxMoves: 25, sameFundingLine: true, sameCapitalType: true },
        jurisdictions: {},
      }),
    ).toThrow(/default\.maxMoves: must be at most 24/);
  });

  it('lets a jurisdiction override the default', () => {
    const policy = loadReallocationPolicy({
      source: 'x',
      default: { approval: 'none', maxMoves: 20, sameFundingLine: true, sameCapitalType: true },
      jurisdictions: { 'da-nang': { approval: 'province' } },
    });
    expect(policy.rulesFor('da-nang')).toMatchObject({ approval: 'province', maxMoves: 20 });
    expect(policy.rulesFor('tay-giang').approval).toBe('none');
  });
});

describe('reallocation use cases', () => {
  const planner = anActor('planner-1', ['planner']);
  const checker = anActor('approver-1', ['approver-province']);
  const setUp = async (approval: ReallocationRules['approval']) => {
    const store = new InMemoryLedgerStore();
    let n = 0;
    const deps: ReallocationDeps = {
      store,
      now: () => new Date('2024-10-01T02:00:00Z'),
      newId: () => `id-${++n}`,
      policy: { rulesFor: () => ({ ...RULES, approval }) },
    };
    const slow = anAllocation({ id: 'slow', assignedVnd: 1_000, availableVnd: 1_000 });
    const fast = anAllocation({ id: 'fast', assignedVnd: 1_000, availableVnd: 1_000 });
    await store.createAllocation(slow);
    await store.createAllocation(fast);
    const input = {
      decisionNumber: '12/QĐ-UBND',
      decidedOn: '2024-10-01',
      reason: 'Dự án chậm giải ngân',
      moves: [move('slow', 'fast', 400)],
    };
    return { store, deps, input };
  };

  it('applies at once where no approval is asked: assigned moves, both chains grow, the total is conserved', async () => {
    const { store, deps, input } = await setUp('none');
    const { result } = await createReallocation(deps, planner, input, 'k1');
    expect(result).toMatchObject({
      status: 'applied',
      totalVnd: 400,
      fiscalYear: 2024,
      communes: ['A Tiêng'],
    });
    const [slow, fast] = [store.allocations.get('slow'), store.allocations.get('fast')];
    expect([slow?.assignedVnd, slow?.availableVnd, slow?.reallocatedVnd, slow?.headSeq]).toEqual([
      600, 600, -400, 1,
    ]);
    expect([fast?.assignedVnd, fast?.availableVnd, fast?.reallocatedVnd, fast?.headSeq]).toEqual([
      1_400, 1_400, 400, 1,
    ]);
    const again = await createReallocation(deps, planner, input, 'k1');
    expect(again).toMatchObject({ replayed: true, result: { id: result.id } });
    expect(store.allocations.get('slow')?.assignedVnd).toBe(600);
  });

  it('moves nothing when one move of several is larger than its source has', async () => {
    const { store, deps, input } = await setUp('none');
    await store.createAllocation(anAllocation({ id: 'other', assignedVnd: 10, availableVnd: 10 }));
    const error = await createReallocation(
      deps,
      planner,
      { ...input, moves: [move('slow', 'fast', 400), move('other', 'fast', 11)] },
      'k2',
    ).catch((e) => e);
    expect(error).toMatchObject({ code: 'insufficient_funds', details: { allocationId: 'other' } });
    expect(store.allocations.get('slow')?.assignedVnd).toBe(1_000);
    expect(store.reallocations.size).toBe(0);
  });

  it('waits for a province approver, refuses its maker, applies on approval after checking the balances again', async () => {
    const { store, deps, input } = await setUp('province');
    const maker = anActor('maker-approver', ['planner', 'approver-province']);
    const { result: pending } = await createReallocation(deps, maker, input, 'k3');
    expect(pending.status).toBe('pending_approval');
    expect(store.allocations.get('slow')?.assignedVnd).toBe(1_000);
    await expect(approveReallocation(deps, maker, pending.id, {})).rejects.toMatchObject({
      code: 'four_eyes',
      status: 403,
    });
    const { result: applied } = await approveReallocation(deps, checker, pending.id, { comment: 'Đồng ý' });
    expect(applied).toMatchObject({ status: 'applied', decision: { decision: 'approve', by: 'approver-1' } });
    expect(store.allocations.get('fast')?.assignedVnd).toBe(1_400);
    expect(store.entries.get('slow')?.get(1)?.approvals).toEqual([
      { level: 'province', by: 'approver-1', at: applied.decision?.at },
    ]);
    await expect(approveReallocation(deps, checker, pending.id, {})).rejects.toMatchObject({
      code: 'not_pending',
    });
  });

  it('re-runs the rules at approval: a source spent meanwhile is refused and nothing moves', async () => {
    const { store, deps, input } = await setUp('province');
    const { result: pending } = await createReallocation(deps, planner, input, 'k4');
    const slow = store.allocations.get('slow') as Allocation;
    store.allocations.set('slow', { ...slow, reservedVnd: 700, availableVnd: 300 });
    await expect(approveReallocation(deps, checker, pending.id, {})).rejects.toMatchObject({
      code: 'insufficient_funds',
    });
    expect(store.allocations.get('fast')?.assignedVnd).toBe(1_000);
    expect((await getReallocation(store, checker, pending.id)).status).toBe('pending_approval');
  });

  it('rejects a pending reallocation: nothing moves, and it is listed by year', async () => {
    const { store, deps, input } = await setUp('province');
    const { result: pending } = await createReallocation(deps, planner, input, 'k5');
    const { result: rejected } = await rejectReallocation(deps, checker, pending.id, {
      comment: 'Chưa đủ căn cứ',
    });
    expect(rejected).toMatchObject({
      status: 'rejected',
      decision: { decision: 'reject', comment: 'Chưa đủ căn cứ' },
    });
    expect(store.allocations.get('slow')?.assignedVnd).toBe(1_000);
    expect((await listReallocations(store, planner, { fiscalYear: 2024 })).map((r) => r.status)).toEqual([
      'rejected',
    ]);
    expect(await listReallocations(store, planner, { fiscalYear: 2025 })).toEqual([]);
  });

  it('refuses a commune-scoped planner and hides a reallocation from another commune’s reader', async () => {
    const { deps, input } = await setUp('province');
    await expect(
      createReallocation(deps, anActor('p', ['planner'], 'A Nông'), input, 'k6'),
    ).rejects.toMatchObject({ code: 'forbidden' });
    const { result } = await createReallocation(deps, planner, input, 'k7');
    await expect(
      getReallocation(deps.store, anActor('x', ['auditor'], 'A Nông'), result.id),
    ).rejects.toMatchObject({
      code: 'forbidden',
    });
    expect(
      await listReallocations(deps.store, anActor('x', ['auditor'], 'A Nông'), { fiscalYear: 2024 }),
    ).toEqual([]);
  });
});
