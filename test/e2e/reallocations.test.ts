import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcessRuntime } from '../reliability/support/in-process-runtime.ts';
import { steps } from './support/api-steps.ts';

/**
 * Reallocations end to end, on the local runtime in this process: tay-giang's policy applies them at
 * once, da-nang's waits for a province approver (shared/platform/config/reallocation-policy).
 */
let rt: Awaited<ReturnType<typeof startInProcessRuntime>>;

beforeAll(async () => {
  rt = await startInProcessRuntime();
}, 120_000);
afterAll(async () => {
  await rt?.stop();
});

const body = (moves: { fromAllocationId: string; toAllocationId: string; amountVnd: number }[]) => ({
  decisionNumber: '125/QĐ-UBND',
  decidedOn: '2024-10-01',
  reason: 'Điều chuyển vốn từ dự án chậm giải ngân sang dự án có khả năng giải ngân',
  moves,
});

describe('reallocations of plan capital', () => {
  it('applies every move at once: both allocations change, both chains verify, statements show the decision; a retry replays', async () => {
    const s = steps(rt);
    const planner = await s.as('planner-an', 'planner');
    const auditor = await s.as('auditor-an', 'auditor');
    const slow = await s.createAllocation({ amountVnd: 1_000_000_000 });
    const fast = await s.createAllocation({ amountVnd: 500_000_000, component: 'DA2' });
    const paid = await s.submit(slow.id, 100_000_000);
    await s.approveAll(paid.body.id);

    const post = () =>
      rt.call('POST', '/reallocations', {
        token: planner,
        headers: { 'idempotency-key': 'realloc-tg-1' },
        body: body([{ fromAllocationId: slow.id, toAllocationId: fast.id, amountVnd: 300_000_000 }]),
      });
    const made = await post();
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({ status: 'applied', totalVnd: 300_000_000, fiscalYear: 2024 });
    expect(await s.getAllocation(slow.id)).toMatchObject({
      assignedVnd: 700_000_000,
      availableVnd: 600_000_000,
      disbursedVnd: 100_000_000,
      reallocatedVnd: -300_000_000,
    });
    expect(await s.getAllocation(fast.id)).toMatchObject({
      assignedVnd: 800_000_000,
      reallocatedVnd: 300_000_000,
    });
    for (const id of [slow.id, fast.id]) {
      const verify = await rt.call('GET', `/ledger/verify?allocationId=${id}`, { token: auditor });
      expect(verify.body).toMatchObject({ valid: true });
    }
    const statement = await rt.call('GET', `/allocations/${slow.id}/statement`, { token: auditor });
    expect(statement.body.lines.at(-1)).toMatchObject({
      kind: 'reallocation-out',
      amountVnd: 300_000_000,
      balanceVnd: 100_000_000,
      reallocation: {
        decisionNumber: '125/QĐ-UBND',
        counterpartAllocationId: fast.id,
        reallocationId: made.body.id,
      },
    });
    expect(statement.body.agreesWithAllocation).toBe(true);

    const again = await post();
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replay')).toBe('true');
    expect(again.body.id).toBe(made.body.id);
    expect((await s.getAllocation(fast.id)).assignedVnd).toBe(800_000_000);
    const listed = await rt.call('GET', '/reallocations?fiscalYear=2024', { token: auditor });
    expect(listed.body.items.map((r: { id: string }) => r.id)).toContain(made.body.id);
  });

  it('refuses a move larger than the source has available with 422 insufficient_funds, and nothing moves', async () => {
    const s = steps(rt);
    const a = await s.createAllocation({ amountVnd: 200_000_000 });
    const b = await s.createAllocation({ amountVnd: 200_000_000, component: 'DA3' });
    const c = await s.createAllocation({ amountVnd: 200_000_000, component: 'DA4' });
    await s.submit(a.id, 150_000_000);
    const before = [await s.getAllocation(a.id), await s.getAllocation(b.id), await s.getAllocation(c.id)];
    const res = await rt.call('POST', '/reallocations', {
      token: await s.as('planner-an', 'planner'),
      headers: { 'idempotency-key': 'realloc-tg-too-much' },
      body: body([
        { fromAllocationId: c.id, toAllocationId: b.id, amountVnd: 100_000_000 },
        { fromAllocationId: a.id, toAllocationId: b.id, amountVnd: 50_000_001 },
      ]),
    });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({
      code: 'insufficient_funds',
      details: { field: 'body.moves[1]', allocationId: a.id, availableVnd: 50_000_000 },
    });
    expect([await s.getAllocation(a.id), await s.getAllocation(b.id), await s.getAllocation(c.id)]).toEqual(
      before,
    );
  });

  it('waits for a province approver where the policy says so: the maker is refused, another approves and it applies', async () => {
    const s = steps(rt, { jurisdiction: 'da-nang' });
    const slow = await s.createAllocation({ fiscalYear: 2026, amountVnd: 900_000_000 });
    const fast = await s.createAllocation({ fiscalYear: 2026, amountVnd: 100_000_000, component: 'DA2' });
    // One person holding both groups: the maker may never be the checker (four eyes).
    const maker = await s.as('an-planner-approver', 'planner', 'approver-province');
    const made = await rt.call('POST', '/reallocations', {
      token: maker,
      headers: { 'idempotency-key': 'realloc-dn-1' },
      body: {
        ...body([{ fromAllocationId: slow.id, toAllocationId: fast.id, amountVnd: 250_000_000 }]),
        decidedOn: '2026-05-04',
      },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body.status).toBe('pending_approval');
    expect((await s.getAllocation(fast.id)).assignedVnd).toBe(100_000_000);

    const own = await rt.call('POST', `/reallocations/${made.body.id}/approve`, { token: maker, body: {} });
    expect(own.status).toBe(403);
    expect(own.body.error.code).toBe('four_eyes');

    const checker = await s.as('binh-province', 'approver-province');
    const approve = () =>
      rt.call('POST', `/reallocations/${made.body.id}/approve`, {
        token: checker,
        headers: { 'idempotency-key': 'approve-dn-1' },
        body: { comment: 'Đồng ý' },
      });
    const approved = await approve();
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'applied',
      decision: { decision: 'approve', by: 'binh-province' },
    });
    expect((await approve()).headers.get('idempotent-replay')).toBe('true');
    expect((await s.getAllocation(fast.id)).assignedVnd).toBe(350_000_000);
    expect((await s.getAllocation(slow.id)).assignedVnd).toBe(650_000_000);
    const auditor = await s.as('dn-auditor', 'auditor');
    for (const id of [slow.id, fast.id]) {
      const verify = await rt.call('GET', `/ledger/verify?allocationId=${id}`, { token: auditor });
      expect(verify.body).toMatchObject({ valid: true });
    }
    const again = await rt.call('POST', `/reallocations/${made.body.id}/reject`, {
      token: checker,
      body: {},
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('not_pending');
    // Another jurisdiction's reallocation is simply not found.
    const fromTayGiang = await rt.call('GET', `/reallocations/${made.body.id}`, {
      token: await steps(rt).as('tg-auditor', 'auditor'),
    });
    expect(fromTayGiang.status).toBe(404);
  });
});
