import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { steps } from './support/api-steps.ts';
import { type Runtime, startRuntime } from './support/local-runtime.ts';

let rt: Runtime;
let s: ReturnType<typeof steps>;
let auditor: string;

beforeAll(async () => {
  rt = await startRuntime();
  s = steps(rt);
  auditor = await s.as('auditor-x', 'auditor');
  await s.declareOutputs(['houses']);
});
afterAll(async () => {
  await rt?.stop();
});

const registered = async (fields: Record<string, unknown> = {}) => {
  const res = await s.registerPayee(fields);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; name: string; citizenId?: string; taxCode?: string };
};

describe('the payee register over HTTP', () => {
  it('registers a household, reads it by id, by folded name and by citizen ID', async () => {
    const tag = `Zx${randomUUID().slice(0, 6)}`;
    const payee = await registered({ name: `${tag} Hộ bà Đinh Thị Ánh` });

    expect(payee).toMatchObject({ kind: 'household', jurisdiction: 'tay-giang', commune: 'A Tiêng' });
    expect(payee).not.toHaveProperty('searchName');
    expect((await rt.call('GET', `/payees/${payee.id}`, { token: auditor })).body).toEqual(payee);
    const byName = await rt.call('GET', `/payees?q=${encodeURIComponent(`${tag} ho ba dinh`)}`, {
      token: auditor,
    });
    expect(byName.status).toBe(200);
    expect(byName.body.items).toEqual([payee]);
    const byId = await rt.call('GET', `/payees?q=${payee.citizenId}`, { token: auditor });
    expect(byId.body.items).toEqual([payee]);
  });

  it('pages the register with signed cursors bound to the query', async () => {
    const tag = `Zp${randomUUID().slice(0, 6)}`;
    for (const name of ['A', 'B', 'C']) await registered({ name: `${tag} ${name}` });

    const first = await rt.call('GET', `/payees?q=${tag}&limit=2`, { token: auditor });
    expect(first.body.items).toHaveLength(2);
    const next = await rt.call(
      'GET',
      `/payees?q=${tag}&limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`,
      {
        token: auditor,
      },
    );
    expect(next.body.items.map((p: { name: string }) => p.name)).toEqual([`${tag} C`]);
    const elsewhere = await rt.call(
      'GET',
      `/payees?q=other&limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`,
      {
        token: auditor,
      },
    );
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.error.code).toBe('invalid_cursor');
  });

  it('answers 409 duplicate_payee with the existing id for the same tax code, however it is written', async () => {
    const contractor = {
      kind: 'contractor',
      name: 'Công ty TNHH Xây dựng Tây Giang',
      taxCode: '0314409058-002',
      citizenId: undefined,
    };
    const first = await s.registerPayee(contractor);
    const firstId = first.status === 201 ? first.body.id : first.body.error.details.payeeId;

    const again = await s.registerPayee({ ...contractor, taxCode: '0314409058002', name: 'Tên khác' });

    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'duplicate_payee', details: { payeeId: firstId } });
  });

  it('replays a retry with the same Idempotency-Key', async () => {
    const key = randomUUID();
    const body = { citizenId: '049187000999', name: 'Hộ ông Bhling Mai' };
    const first = await s.registerPayee(body, key);
    const again = await s.registerPayee(body, key);
    expect(again.body.id).toBe(first.body.id);
  });

  it('refuses a wrong check digit, the wrong identifier for the kind and a foreign commune with 400', async () => {
    for (const [fields, field] of [
      [{ kind: 'agency', citizenId: undefined, taxCode: '0100047517' }, 'taxCode'],
      [{ taxCode: '0100047516' }, 'taxCode'],
      [{ commune: 'Hùng Sơn' }, 'commune'],
      [{ bankAccount: { number: '12 34', bankCode: '970405' } }, undefined],
      [{ bankAccount: { number: '1234567', bankCode: 'VCB' } }, undefined],
    ] as const) {
      const res = await s.registerPayee(fields);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
      if (field) expect(res.body.error.details.field).toBe(field);
    }
  });

  it('does not find a payee of another jurisdiction, by id or by citizen ID', async () => {
    const payee = await registered();
    const daNang = steps(rt, { jurisdiction: 'da-nang' });
    const token = await daNang.as('auditor-dn', 'auditor');
    expect((await rt.call('GET', `/payees/${payee.id}`, { token })).status).toBe(404);
    expect((await rt.call('GET', `/payees?q=${payee.citizenId}`, { token })).body.items).toEqual([]);
  });
});

describe('requests naming a register payee', () => {
  const housing = async (payeeId: string, allocationId: string, fields: Record<string, unknown> = {}) =>
    s.submit(allocationId, 40_000_000, 'finance-lan', randomUUID(), {
      payee: undefined,
      payeeId,
      purpose: 'Hỗ trợ xây mới nhà ở',
      outputs: { houses: 1 },
      ...fields,
    });

  it('keeps the payee snapshot, refuses housing twice (409 already_supported) until the first is rejected, and posts', async () => {
    const allocation = await s.createAllocation({ component: 'DA5', amountVnd: 500_000_000 });
    const payee = await registered({ name: 'Hộ ông Alăng Thị Hoa' });

    const first = await housing(payee.id, allocation.id);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ payeeId: payee.id, payee: { name: payee.name, kind: 'household' } });

    const twice = await housing(payee.id, allocation.id);
    expect(twice.status).toBe(409);
    expect(twice.body.error).toMatchObject({
      code: 'already_supported',
      details: { rule: 'housing-once', payeeId: payee.id, requestId: first.body.id },
    });

    const level = first.body.nextLevel as string;
    const rejected = await s.decide(
      first.body.id,
      await s.as('rejecter', s.approver[level] ?? level),
      'reject',
    );
    expect(rejected.status).toBe(202);
    await s.waitPast(first.body.id, level);

    const again = await housing(payee.id, allocation.id);
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    const posted = await s.approveAll(again.body.id);
    expect(posted).toMatchObject({ status: 'disbursed', payeeId: payee.id });
  });

  it('answers 422 unknown_payee for an id the register does not hold', async () => {
    const allocation = await s.createAllocation({ component: 'DA5' });
    const res = await housing(randomUUID(), allocation.id);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'unknown_payee', details: { field: 'payeeId' } });
  });

  it('answers 400 when the request names both an inline payee and a payeeId, or neither', async () => {
    const allocation = await s.createAllocation({ component: 'DA5' });
    const payee = await registered();
    const both = await housing(payee.id, allocation.id, { payee: { name: 'X', kind: 'household' } });
    const neither = await housing(payee.id, allocation.id, { payeeId: undefined });
    for (const res of [both, neither]) {
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
      expect(res.body.error.message).toMatch(/exactly one/);
    }
  });
});
