import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../shared/ledger/domain/hash-chain.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../../shared/platform/tenancy.ts';
import { steps, voucherFieldsFor } from './support/api-steps.ts';
import { eventually, type Runtime, startRuntime } from './support/local-runtime.ts';

/** The jurisdiction of this file's data (its fixtures name none: the upgrade default). */
const J = UPGRADE_DEFAULT_JURISDICTION;

let rt: Runtime;
let s: ReturnType<typeof steps>;

beforeAll(async () => {
  rt = await startRuntime();
  s = steps(rt);
});
afterAll(async () => {
  await rt?.stop();
});

describe('the disbursement flow over HTTP against the local runtime', () => {
  it('answers /health without a token and serves the OpenAPI 3.1 document of every route', async () => {
    const health = await rt.call('GET', '/health');
    const openapi = await rt.call('GET', '/openapi.json', { token: await s.as('x', 'auditor') });
    expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(openapi.body.openapi).toBe('3.1.0');
    expect(Object.keys(openapi.body.paths)).toEqual(
      expect.arrayContaining([
        '/allocations',
        '/allocations/{id}/adjustments',
        '/requests',
        '/requests/{id}/decisions',
      ]),
    );
    expect(openapi.body.paths['/requests'].post.requestBody.content['application/json'].schema).toBeDefined();
  });

  it('takes a request from submission through every level of its chain to disbursed, posted once to the ledger', async () => {
    const allocation = await s.createAllocation({ fundingLine: 'central' });
    const submitted = await s.submit(allocation.id, 300_000_000);
    expect(submitted.status).toBe(201);
    expect(submitted.body).toMatchObject({
      status: 'pending_approval',
      chain: ['district', 'province', 'treasury'],
      nextLevel: 'district',
    });
    const reserved = await s.getAllocation(allocation.id);
    expect(reserved).toMatchObject({ reservedVnd: 300_000_000, availableVnd: 1_700_000_000 });

    const final = await s.approveAll(submitted.body.id);

    expect(final.status).toBe('disbursed');
    expect(final.approvals.map((a: { level: string }) => a.level)).toEqual([
      'district',
      'province',
      'treasury',
    ]);
    expect(await s.getAllocation(allocation.id)).toMatchObject({
      assignedVnd: 2_000_000_000,
      reservedVnd: 0,
      disbursedVnd: 300_000_000,
      availableVnd: 1_700_000_000,
      headSeq: 1,
    });
    const entries = await rt.store.listEntries(J, allocation.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      requestId: submitted.body.id,
      amountVnd: 300_000_000,
      fiscalYear: 2024,
      fundingLine: 'central',
      commune: 'A Tiêng',
      component: 'DA1',
      seq: 1,
    });
    expect(verifyChain(entries).valid).toBe(true);
  });

  it('adds the district-leader level for amounts of one billion đồng or more', async () => {
    const allocation = await s.createAllocation({ fundingLine: 'local', amountVnd: 3_000_000_000 });
    const big = await s.submit(allocation.id, 1_000_000_000);
    const small = await s.submit(allocation.id, 999_999_999);
    expect(big.body.chain).toEqual(['district', 'district-leader', 'treasury']);
    expect(small.body.chain).toEqual(['district', 'treasury']);
    expect((await s.approveAll(big.body.id)).status).toBe('disbursed');
  });

  it('releases the reservation when a level rejects', async () => {
    const allocation = await s.createAllocation({
      fundingLine: 'community',
      capitalType: 'recurrent',
      component: 'DA5',
    });
    const submitted = await s.submit(allocation.id, 40_000_000);
    const res = await s.decide(
      submitted.body.id,
      await s.as('commune-approver', 'approver-commune'),
      'reject',
    );
    expect(res.status).toBe(202);
    const request = await s.waitPast(submitted.body.id, 'commune');
    expect(request.status).toBe('rejected');
    expect(await s.getAllocation(allocation.id)).toMatchObject({
      reservedVnd: 0,
      availableVnd: 2_000_000_000,
    });
  });

  it('enforces four eyes: the submitter never decides, nobody decides two levels', async () => {
    const allocation = await s.createAllocation({ fundingLine: 'local' });
    const submitted = await s.submit(allocation.id, 10_000_000, 'maker-and-approver');
    const bySubmitter = await s.decide(
      submitted.body.id,
      await s.as('maker-and-approver', 'finance', 'approver-district'),
    );
    expect(bySubmitter.status).toBe(403);
    expect(bySubmitter.body.error.code).toBe('four_eyes');

    const both = await s.as('two-hats', 'approver-district', 'treasury');
    expect((await s.decide(submitted.body.id, both)).status).toBe(202);
    await s.waitPast(submitted.body.id, 'district');
    const second = await s.decide(submitted.body.id, both);
    expect(second.status).toBe(403);
    expect(second.body.error.code).toBe('four_eyes');
  });

  it('enforces four eyes on the person: another account on the same e-mail, in any case or Unicode form, is refused', async () => {
    const allocation = await s.createAllocation({ fundingLine: 'local' });
    const lan = await rt.token('lan', ['finance'], { email: 'Lan@X.vn' });
    const submitted = await s.submitWith(lan, allocation.id, 10_000_000);
    expect(submitted.status).toBe(201);
    const id = submitted.body.id;

    const lanAgain = await rt.token('lan-approver', ['approver-district'], { email: 'lan@x.vn' });
    const bySubmitter = await s.decide(id, lanAgain);
    expect(bySubmitter.status).toBe(403);
    expect(bySubmitter.body.error.code).toBe('four_eyes');

    // "Bình" with a composed ì (NFC) decides the district level...
    const binh = await rt.token('binh', ['approver-district'], { email: 'B\u00ecnh@X.vn' });
    expect((await s.decide(id, binh)).status).toBe(202);
    await s.waitPast(id, 'district');
    // ...so another account of the same mailbox, written with i + combining grave (NFD), may not decide the next.
    const binhAgain = await rt.token('binh-treasury', ['treasury'], { email: 'bi\u0300nh@x.vn' });
    const second = await s.decide(id, binhAgain);
    expect(second.status).toBe(403);
    expect(second.body.error.code).toBe('four_eyes');

    const dung = await rt.token('dung', ['treasury'], { email: 'dung@x.vn' });
    const voucher = voucherFieldsFor(submitted.body, 'treasury');
    expect((await s.decide(id, dung, 'approve', undefined, voucher)).status).toBe(202);
    const final = await s.waitPast(id, 'treasury');
    expect(final.status).toBe('disbursed');
    expect(final.approvals.map((a: { by: string }) => a.by)).toEqual(['binh', 'dung']);
  });

  it("answers 403 forbidden to an approver without the next level's group", async () => {
    const allocation = await s.createAllocation({ fundingLine: 'provincial' });
    const submitted = await s.submit(allocation.id, 10_000_000);
    const res = await s.decide(submitted.body.id, await s.as('province-early', 'approver-province'));
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'forbidden', details: { nextLevel: 'district' } });
  });

  it('refuses a request larger than what is available with 409 insufficient_funds', async () => {
    const allocation = await s.createAllocation({ amountVnd: 50_000_000 });
    const res = await s.submit(allocation.id, 50_000_001);
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: 'insufficient_funds',
      details: { availableVnd: 50_000_000 },
    });
    expect((await s.getAllocation(allocation.id)).reservedVnd).toBe(0);
  });

  it('replays submissions and decisions by Idempotency-Key and refuses a reused key with another body', async () => {
    const allocation = await s.createAllocation({ fundingLine: 'local', amountVnd: 100_000_000 });
    const first = await s.submit(allocation.id, 10_000_000, 'finance-lan', 'replay-key-0001');
    const again = await s.submit(allocation.id, 10_000_000, 'finance-lan', 'replay-key-0001');
    const other = await s.submit(allocation.id, 20_000_000, 'finance-lan', 'replay-key-0001');
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('idempotency_key_reused');
    expect((await s.getAllocation(allocation.id)).reservedVnd).toBe(10_000_000);

    const approver = await s.as('district-d', 'approver-district');
    const decided = await s.decide(first.body.id, approver, 'approve', 'decision-key-01');
    const replayed = await s.decide(first.body.id, approver, 'approve', 'decision-key-01');
    expect(replayed.body).toEqual(decided.body);
    await s.waitPast(first.body.id, 'district');
    await new Promise((r) => setTimeout(r, 500));
    expect((await s.getRequest(first.body.id)).approvals).toHaveLength(1);
  });

  it('answers 409 not_pending to a decision on a request that is no longer pending', async () => {
    const allocation = await s.createAllocation({ fundingLine: 'local' });
    const submitted = await s.submit(allocation.id, 5_000_000);
    await s.approveAll(submitted.body.id);
    const late = await s.decide(submitted.body.id, await s.as('late-approver', 'treasury'));
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('not_pending');
  });

  it('lets only the submitter cancel a pending request, releasing its reservation', async () => {
    const allocation = await s.createAllocation({ amountVnd: 100_000_000 });
    const submitted = await s.submit(allocation.id, 60_000_000, 'finance-lan');
    const stranger = await rt.call('POST', `/requests/${submitted.body.id}/cancel`, {
      token: await s.as('finance-other', 'finance'),
    });
    const owner = await rt.call('POST', `/requests/${submitted.body.id}/cancel`, {
      token: await s.as('finance-lan', 'finance'),
    });
    expect(stranger.status).toBe(403);
    expect(owner).toMatchObject({ status: 200, body: { status: 'cancelled' } });
    expect((await s.getAllocation(allocation.id)).availableVnd).toBe(100_000_000);
  });

  it('adjusts assigned capital and refuses a cut below reserved plus disbursed with 409 below_committed', async () => {
    const allocation = await s.createAllocation({ amountVnd: 100_000_000 });
    await s.submit(allocation.id, 70_000_000);
    const token = await s.as('planner-an', 'planner');
    const tooDeep = await rt.call('POST', `/allocations/${allocation.id}/adjustments`, {
      token,
      body: { deltaVnd: -30_000_001, reason: 'Điều chỉnh giảm kế hoạch' },
    });
    const ok = await rt.call('POST', `/allocations/${allocation.id}/adjustments`, {
      token,
      body: { deltaVnd: -30_000_000, reason: 'Điều chỉnh giảm kế hoạch' },
    });
    expect(tooDeep.status).toBe(409);
    expect(tooDeep.body.error.code).toBe('below_committed');
    expect(ok.status).toBe(201);
    expect(ok.body.allocation).toMatchObject({ assignedVnd: 70_000_000, availableVnd: 0 });
  });

  it('lists allocations and requests with filters, and answers 404 not_found to unknown ids', async () => {
    const allocation = await s.createAllocation({
      commune: 'Ga Ri',
      component: 'DA2',
      capitalType: 'recurrent',
    });
    await s.submit(allocation.id, 1_000_000);
    const token = await s.as('inspector-i', 'inspector');
    const list = await rt.call('GET', '/allocations?fiscalYear=2024&commune=Ga%20Ri&component=DA2', {
      token,
    });
    const requests = await rt.call('GET', `/requests?allocationId=${allocation.id}&status=pending_approval`, {
      token,
    });
    const missing = await rt.call('GET', '/allocations/no-such-id', { token });
    const missingRequest = await rt.call('GET', '/requests/no-such-id', { token });
    expect(list.body.items.map((a: { id: string }) => a.id)).toContain(allocation.id);
    expect(list.body.items.every((a: { commune: string }) => a.commune === 'Ga Ri')).toBe(true);
    expect(requests.body.items).toHaveLength(1);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
    expect(missingRequest.status).toBe(404);
  });

  it('keeps a commune-scoped user to their commune', async () => {
    const allocation = await s.createAllocation({ commune: 'Lăng' });
    const scoped = await rt.token('finance-dang', ['finance'], { commune: 'Dang' });
    const read = await rt.call('GET', `/allocations/${allocation.id}`, { token: scoped });
    const list = await rt.call('GET', '/allocations?fiscalYear=2024', { token: scoped });
    const submit = await rt.call('POST', '/requests', {
      token: scoped,
      headers: { 'idempotency-key': 'scoped-key-001' },
      body: {
        allocationId: allocation.id,
        amountVnd: 1_000_000,
        payee: { name: 'X', kind: 'individual' },
        purpose: 'p',
      },
    });
    expect(read.status).toBe(403);
    expect(list.body.items.every((a: { commune: string }) => a.commune === 'Dang')).toBe(true);
    expect(submit.status).toBe(403);
  });

  it('logs a decision and its application by the consumer under one correlation id: the API Gateway request id', async () => {
    const allocation = await s.createAllocation({ fundingLine: 'central' });
    const submitted = await s.submit(allocation.id, 50_000_000);
    const decided = await s.decide(submitted.body.id, await s.as('district-approver', 'approver-district'));
    expect(decided.status).toBe(202);
    const correlationId = decided.headers.get('x-request-id') ?? 'none';
    // The local runtime prints each entry as `time level function [correlation id] message {keys}`.
    const entry = (fn: string, message: string) =>
      new RegExp(
        `(INFO|WARN|ERROR) +${fn} \\[${correlationId}\\] ${message}.*"requestId":"${submitted.body.id}"`,
      );
    const applied = entry('approval-consumer-central', 'approval event applied');
    await eventually(
      'the consumer to log the applied event',
      async () => rt.logs(),
      (logs) => applied.test(logs),
    );
    expect(rt.logs()).toMatch(
      new RegExp(
        `INFO +decide-request \\[${correlationId}\\] POST /requests/\\{id\\}/decisions answered 202`,
      ),
    );
  });
});

describe('approval chains per jurisdiction, fiscal year and investor', () => {
  // Đà Nẵng's staff: every token of these steps carries custom:jurisdiction da-nang.
  // On a runtime of their own whose clock reads a day of 2026 (before the 2025 plan's deadline, 31/01/2026):
  // a 2026 payment's Treasury voucher is valued within 2026, and a 2025 allocation still takes requests.
  let dn: ReturnType<typeof steps>;
  let dnRuntime: Runtime;
  beforeAll(async () => {
    dnRuntime = await startRuntime({ clock: '2026-01-15T09:00:00+07:00' });
    dn = steps(dnRuntime, { jurisdiction: 'da-nang' });
  }, 90_000);
  afterAll(async () => {
    await dnRuntime?.stop();
  });
  const daNang2026 = (investor?: string) =>
    dn.createAllocation({
      fiscalYear: 2026,
      fundingLine: 'central',
      ...(investor ? { investor } : {}),
    });

  it('routes a da-nang 2026 request of a commune investor through the commune and the Treasury, no district level, to disbursed', async () => {
    const allocation = await daNang2026('commune');
    const submitted = await dn.submit(allocation.id, 300_000_000);

    expect(submitted.status).toBe(201);
    expect(submitted.body).toMatchObject({
      jurisdiction: 'da-nang',
      investor: 'commune',
      chain: ['commune', 'treasury'],
      approvalLevels: [
        { level: 'commune', tier: 'commune', group: 'approver-commune' },
        { level: 'treasury', tier: 'treasury', group: 'treasury' },
      ],
      nextLevel: 'commune',
    });
    const district = await dn.decide(submitted.body.id, await dn.as('district-gone', 'approver-district'));
    expect(district.status).toBe(403);
    expect(district.body.error).toMatchObject({
      code: 'forbidden',
      details: { nextLevel: 'commune', requiredGroup: 'approver-commune' },
    });
    const final = await dn.approveAll(submitted.body.id);
    expect(final.status).toBe('disbursed');
    expect(final.approvals.map((a: { level: string }) => a.level)).toEqual(['commune', 'treasury']);
    expect(await dn.getAllocation(allocation.id)).toMatchObject({
      jurisdiction: 'da-nang',
      investor: 'commune',
      disbursedVnd: 300_000_000,
      headSeq: 1,
    });
  });

  it('routes a da-nang 2026 request of a project board through the city (the province group) and the Treasury', async () => {
    const allocation = await daNang2026('project-board');
    const submitted = await dn.submit(allocation.id, 10_000_000);

    expect(submitted.body.chain).toEqual(['city', 'treasury']);
    const final = await dn.approveAll(submitted.body.id);
    expect(final.status).toBe('disbursed');
  });

  it('keeps the Tây Giang chains and reads an allocation without an investor as a commune one', async () => {
    const allocation = await s.createAllocation({ fundingLine: 'local' });
    const submitted = await s.submit(allocation.id, 10_000_000);

    expect(await s.getAllocation(allocation.id)).toMatchObject({ investor: 'commune' });
    expect(submitted.body).toMatchObject({ investor: 'commune', chain: ['district', 'treasury'] });
  });

  it('refuses a request in a year no policy of the jurisdiction covers with 422 no_approval_policy, reserving nothing', async () => {
    const allocation = await dn.createAllocation({ fiscalYear: 2025 });
    const res = await dn.submit(allocation.id, 10_000_000);

    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({
      code: 'no_approval_policy',
      details: { jurisdiction: 'da-nang', fiscalYear: 2025 },
    });
    expect(res.body.error.message).toMatch(
      /^Chưa có chính sách phê duyệt cho da-nang, năm kế hoạch 2025\. No approval policy covers da-nang in fiscal year 2025/,
    );
    expect(await dn.getAllocation(allocation.id)).toMatchObject({
      reservedVnd: 0,
      availableVnd: 2_000_000_000,
    });
  });
});
