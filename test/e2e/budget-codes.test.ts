import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshVoucher, steps } from './support/api-steps.ts';
import { type Runtime, startRuntime } from './support/local-runtime.ts';

let rt: Runtime;
let s: ReturnType<typeof steps>;

beforeAll(async () => {
  rt = await startRuntime();
  s = steps(rt);
});
afterAll(async () => {
  await rt?.stop();
});

const CODES = { chapter: '805', sector: '280-292', programme: '0070', project: '7000123', source: '01' };
const CONSTRUCTION = { item: '9300', subItem: '9303' };

/** A coded central-line allocation with one coded request waiting at the Treasury (district and province approved). */
const atTreasury = async (component: string) => {
  const allocation = await s.createAllocation({ component, budgetCodes: CODES });
  const submitted = await s.submit(allocation.id, 120_000_000, 'finance-lan', undefined, {
    budgetItem: CONSTRUCTION,
  });
  expect(submitted.status).toBe(201);
  const request = await s.approveAll(submitted.body.id, 'treasury');
  expect(request.nextLevel).toBe('treasury');
  return { allocation, request };
};
const treasurer = () => s.as('treasurer-kb', 'treasury');
const voucherOf = (request: { createdAt: string }) => freshVoucher(request.createdAt);

describe('budget codes on allocations and requests, over HTTP', () => {
  it('records an allocation’s codes and a request’s item and sub-item from the catalogue of the year', async () => {
    const allocation = await s.createAllocation({ component: 'BC1', budgetCodes: CODES });
    expect(await s.getAllocation(allocation.id)).toMatchObject({ budgetCodes: CODES });
    const submitted = await s.submit(allocation.id, 1_000_000, 'finance-lan', undefined, {
      budgetItem: CONSTRUCTION,
    });
    expect(submitted.status).toBe(201);
    expect(submitted.body.budgetItem).toEqual(CONSTRUCTION);
  });

  it('refuses a code outside the year’s catalogue with 422 invalid_budget_code, listing the allowed codes; nothing written', async () => {
    const planner = await s.as('planner-an', 'planner');
    const res = await rt.call('POST', '/allocations', {
      token: planner,
      body: {
        fiscalYear: 2024,
        fundingLine: 'central',
        capitalType: 'investment',
        component: 'BC2',
        commune: 'A Tiêng',
        title: 'Đường liên thôn',
        amountVnd: 1_000_000,
        budgetCodes: { ...CODES, programme: '0071' },
      },
    });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({
      code: 'invalid_budget_code',
      details: { field: 'body.budgetCodes.programme', allowed: expect.arrayContaining(['0070']) },
    });
    const listed = await rt.call('GET', '/allocations?fiscalYear=2024&component=BC2', { token: planner });
    expect(listed.body.items).toEqual([]);

    const allocation = await s.createAllocation({ component: 'BC3', budgetCodes: CODES });
    const recurrentItem = await s.submit(allocation.id, 1_000_000, 'finance-lan', undefined, {
      budgetItem: { item: '7750', subItem: '7756' },
    });
    expect(recurrentItem.status).toBe(422);
    expect(recurrentItem.body.error.code).toBe('invalid_budget_code');
    expect(recurrentItem.body.error.message).toMatch(/investment capital.*9300/);
    expect(await s.getAllocation(allocation.id)).toMatchObject({ reservedVnd: 0 });
  });
});

describe('the Treasury voucher, over HTTP', () => {
  it('refuses the Treasury’s approval without a voucher, a voucher at another level and a value date before the request', async () => {
    const allocation = await s.createAllocation({ component: 'BC4', budgetCodes: CODES });
    const submitted = await s.submit(allocation.id, 1_000_000);
    const atDistrict = await s.decide(
      submitted.body.id,
      await s.as('district-a', 'approver-district'),
      'approve',
      randomUUID(),
      { treasuryVoucher: voucherOf(submitted.body) },
    );
    expect(atDistrict.status).toBe(422);
    expect(atDistrict.body.error.code).toBe('voucher_not_expected');

    const { request } = await atTreasury('BC5');
    const missing = await s.decide(request.id, await treasurer());
    expect(missing.status).toBe(422);
    expect(missing.body.error).toMatchObject({ code: 'voucher_required', details: { level: 'treasury' } });
    const early = await s.decide(request.id, await treasurer(), 'approve', randomUUID(), {
      treasuryVoucher: { ...voucherOf(request), valueDate: '2023-12-31' },
    });
    expect(early.status).toBe(422);
    expect(early.body.error.code).toBe('invalid_value_date');
    expect((await s.getRequest(request.id)).nextLevel).toBe('treasury');
  });

  it('posts the codes and the voucher in the entry, its CSV and the statement; the same number for another request is 409 duplicate_voucher', async () => {
    const first = await atTreasury('BC6');
    const voucher = voucherOf(first.request);
    const accepted = await s.decide(first.request.id, await treasurer(), 'approve', randomUUID(), {
      treasuryVoucher: voucher,
    });
    expect(accepted.status).toBe(202);
    const posted = await s.waitPast(first.request.id, 'treasury');
    expect(posted.status).toBe('disbursed');
    expect(posted.approvals.at(-1)).toMatchObject({ level: 'treasury', treasuryVoucher: voucher });

    const second = await atTreasury('BC7');
    const duplicate = await s.decide(second.request.id, await treasurer(), 'approve', randomUUID(), {
      treasuryVoucher: { ...voucherOf(second.request), number: voucher.number },
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error).toMatchObject({
      code: 'duplicate_voucher',
      details: { number: voucher.number },
    });
    expect((await s.getRequest(second.request.id)).nextLevel).toBe('treasury');

    const token = await s.as('auditor-an', 'auditor');
    const entries = await rt.call(
      'GET',
      `/ledger/entries?fiscalYear=2024&allocationId=${first.allocation.id}`,
      {
        token,
      },
    );
    expect(entries.body.items).toEqual([
      expect.objectContaining({ budgetCodes: CODES, budgetItem: CONSTRUCTION, treasuryVoucher: voucher }),
    ]);
    const csv = await fetch(
      `${rt.url}/ledger/entries?fiscalYear=2024&allocationId=${first.allocation.id}&format=csv`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    const [record] = parse(await csv.text(), { bom: true, columns: true }) as Record<string, string>[];
    expect(record).toMatchObject({
      budgetChapter: "'805",
      budgetProgramme: "'0070",
      budgetProject: "'7000123",
      budgetItem: "'9300",
      budgetSubItem: "'9303",
      treasuryVoucher: JSON.stringify(voucher),
    });
    const statement = await rt.call('GET', `/allocations/${first.allocation.id}/statement`, { token });
    expect(statement.body.budgetCodes).toEqual(CODES);
    expect(statement.body.lines).toEqual([
      expect.objectContaining({ budgetItem: CONSTRUCTION, treasuryVoucher: voucher }),
    ]);
    const verified = await rt.call('GET', `/ledger/verify?allocationId=${first.allocation.id}`, { token });
    expect(verified.body.valid).toBe(true);
  });
});
