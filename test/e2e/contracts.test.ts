import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { steps, voucherFieldsFor } from './support/api-steps.ts';
import { contractSteps, givenPayee } from './support/contract-steps.ts';
import { type Runtime, startRuntime } from './support/local-runtime.ts';

let rt: Runtime;
let s: ReturnType<typeof steps>;
let c: ReturnType<typeof contractSteps>;
let allocationId: string;
let contractorId: string;

beforeAll(async () => {
  rt = await startRuntime();
  s = steps(rt);
  c = contractSteps(rt, () => s.as('finance-contracts', 'finance'));
  // 10,000,000,000 VND of DA1 works, on the central line: room for every test's contract.
  allocationId = (await s.createAllocation({ amountVnd: 10_000_000_000 })).id;
  contractorId = await givenPayee(rt, { kind: 'contractor', name: 'Công ty Xây dựng Tây Giang' });
});
afterAll(async () => {
  await rt?.stop();
});

/** A fresh contract of 1,000,000,000 VND (construction: 30% may be advanced). */
const newContract = async (overrides: Record<string, unknown> = {}) => {
  const res = await c.createContract({
    allocationId,
    payeeId: contractorId,
    valueVnd: 1_000_000_000,
    ...overrides,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string };
};

/** Submits on the contract and approves at every level; the request as posted. */
const posted = async (contractId: string, body: Record<string, unknown>) => {
  const res = await c.submitOn(contractId, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const request = await s.approveAll(res.body.id);
  expect(request.status).toBe('disbursed');
  return request;
};

describe('contracts, advances and recovery, end to end', () => {
  it('walks an advance through payments that recover it to full recovery, counting cash out', async () => {
    const contract = await newContract();
    const created = await c.getContract(contract.id);
    expect(created.body).toMatchObject({
      valueVnd: 1_000_000_000,
      advanceLimitVnd: 300_000_000,
      payee: { name: 'Công ty Xây dựng Tây Giang', kind: 'contractor' },
      advanceOutstandingVnd: 0,
    });
    const before = await s.getAllocation(allocationId);

    const advance = await posted(contract.id, { kind: 'advance', amountVnd: 300_000_000 });
    expect(advance).toMatchObject({ kind: 'advance', contractId: contract.id, allocationId });
    await posted(contract.id, { kind: 'payment', amountVnd: 400_000_000, recoveryVnd: 150_000_000 });
    expect((await c.getContract(contract.id)).body).toMatchObject({ advanceOutstandingVnd: 150_000_000 });
    const midway = await s.getAllocation(allocationId);
    expect(midway.advanceOutstandingVnd - before.advanceOutstandingVnd).toBe(150_000_000);
    await posted(contract.id, { kind: 'payment', amountVnd: 400_000_000, recoveryVnd: 150_000_000 });

    const after = await c.getContract(contract.id);
    expect(after.body).toMatchObject({
      paidVnd: 800_000_000,
      advancedVnd: 300_000_000,
      recoveredVnd: 300_000_000,
      advanceOutstandingVnd: 0,
      pendingPaymentVnd: 0,
    });
    // Cash out: the advance, then each payment's net.
    const allocation = await s.getAllocation(allocationId);
    expect(allocation.disbursedVnd - before.disbursedVnd).toBe(800_000_000);
    // Of which the advance, fully recovered by the two payments: the allocation and its report say so.
    expect(allocation.advancedVnd - before.advancedVnd).toBe(300_000_000);
    expect(allocation.recoveredVnd - before.recoveredVnd).toBe(300_000_000);
    expect(allocation.advanceOutstandingVnd).toBe(before.advanceOutstandingVnd);
    const report = await rt.call(
      'GET',
      `/reports/progress?fiscalYear=${allocation.fiscalYear}&groupBy=allocation`,
      {
        token: await s.as('auditor-contracts', 'auditor'),
      },
    );
    expect(report.body.rows.find((r: { key: string }) => r.key === allocationId)).toMatchObject({
      disbursedVnd: allocation.disbursedVnd,
      advancedVnd: allocation.advancedVnd,
      advanceOutstandingVnd: allocation.advanceOutstandingVnd,
    });
    const statement = await rt.call('GET', `/allocations/${allocationId}/statement`, {
      token: await s.as('auditor-contracts', 'auditor'),
    });
    expect(statement.status).toBe(200);
    expect(statement.body.lines.filter((l: { contractId?: string }) => l.contractId === contract.id)).toEqual(
      [
        expect.objectContaining({ kind: 'advance', amountVnd: 300_000_000 }),
        expect.objectContaining({
          kind: 'payment',
          amountVnd: 250_000_000,
          grossVnd: 400_000_000,
          recoveryVnd: 150_000_000,
        }),
        expect.objectContaining({
          kind: 'payment',
          amountVnd: 250_000_000,
          grossVnd: 400_000_000,
          recoveryVnd: 150_000_000,
        }),
      ],
    );
    const verified = await rt.call('GET', `/ledger/verify?allocationId=${allocationId}`, {
      token: await s.as('auditor-contracts', 'auditor'),
    });
    expect(verified.body.valid).toBe(true);
  });

  it('refuses an advance past the limit, a recovery off the rule and payments past the value, writing nothing', async () => {
    const contract = await newContract();
    const limit = await c.submitOn(contract.id, { kind: 'advance', amountVnd: 300_000_001 });
    expect(limit.status).toBe(422);
    expect(limit.body.error.code).toBe('advance_limit_exceeded');
    await posted(contract.id, { kind: 'advance', amountVnd: 200_000_000 });

    const tooLittle = await c.submitOn(contract.id, {
      kind: 'payment',
      amountVnd: 400_000_000,
      recoveryVnd: 99_999_999,
    });
    expect(tooLittle.status).toBe(422);
    expect(tooLittle.body.error).toMatchObject({
      code: 'recovery_invalid',
      details: { minRecoveryVnd: 100_000_000, maxRecoveryVnd: 200_000_000 },
    });
    const tooMuch = await c.submitOn(contract.id, {
      kind: 'payment',
      amountVnd: 400_000_000,
      recoveryVnd: 200_000_001,
    });
    expect(tooMuch.body.error.code).toBe('recovery_invalid');

    const pending = await c.submitOn(contract.id, {
      kind: 'payment',
      amountVnd: 700_000_000,
      recoveryVnd: 175_000_000,
    });
    expect(pending.status, JSON.stringify(pending.body)).toBe(201);
    const past = await c.submitOn(contract.id, {
      kind: 'payment',
      amountVnd: 300_000_001,
      recoveryVnd: 25_000_000,
    });
    expect(past.status).toBe(422);
    expect(past.body.error).toMatchObject({
      code: 'contract_value_exceeded',
      details: { maxPaymentVnd: 300_000_000 },
    });

    expect((await c.getContract(contract.id)).body).toMatchObject({
      advancedVnd: 200_000_000,
      pendingPaymentVnd: 700_000_000,
      pendingRecoveryVnd: 175_000_000,
      paidVnd: 0,
    });
  });

  it('asks an advance for the guarantee its contract requires before the last approval, and only then', async () => {
    const guaranteed = await newContract({ advanceGuaranteeRequired: true });
    const unguaranteed = await newContract({ advanceGuaranteeRequired: false });
    const finance = await s.as('finance-contracts', 'finance');
    const dossierOf = async (id: string) =>
      (await rt.call('GET', `/requests/${id}/documents`, { token: finance })).body;
    const advance = await c.submitOn(guaranteed.id, { kind: 'advance', amountVnd: 100_000_000 });
    const plain = await c.submitOn(unguaranteed.id, { kind: 'advance', amountVnd: 100_000_000 });
    expect(advance.body).toMatchObject({ advanceGuaranteeRequired: true });
    expect(plain.body.advanceGuaranteeRequired).toBeUndefined();
    expect((await dossierOf(advance.body.id)).required).toEqual(['payment-request', 'advance-guarantee']);
    expect((await dossierOf(plain.body.id)).required).toEqual(['payment-request']);

    // At the Treasury with no document: the guarantee is among what is missing.
    const waiting = await s.approveAll(advance.body.id, 'treasury');
    const treasury = await s.as('treasury-approver', 'treasury');
    const refused = await s.decide(
      advance.body.id,
      treasury,
      'approve',
      randomUUID(),
      voucherFieldsFor(waiting, 'treasury'),
    );
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'documents_missing',
      details: { missing: ['payment-request', 'advance-guarantee'] },
    });
    expect((await s.approveAll(advance.body.id)).status).toBe('disbursed');
  });

  it('amends the value under a decision, never below what is paid or pending', async () => {
    const contract = await newContract();
    await posted(contract.id, { kind: 'payment', amountVnd: 600_000_000 });
    const token = await s.as('finance-contracts', 'finance');
    const below = await rt.call('POST', `/contracts/${contract.id}/amendments`, {
      token,
      body: { decisionNumber: '12/QĐ-UBND', reason: 'Giảm khối lượng', valueVnd: 599_999_999 },
    });
    expect(below.status).toBe(409);
    expect(below.body.error.code).toBe('below_paid');
    const raised = await rt.call('POST', `/contracts/${contract.id}/amendments`, {
      token,
      body: { decisionNumber: '13/QĐ-UBND', reason: 'Bổ sung khối lượng', deltaVnd: 200_000_000 },
    });
    expect(raised.status, JSON.stringify(raised.body)).toBe(201);
    expect(raised.body).toMatchObject({
      previousValueVnd: 1_000_000_000,
      valueVnd: 1_200_000_000,
      contract: { valueVnd: 1_200_000_000, advanceLimitVnd: 360_000_000, paidVnd: 600_000_000 },
    });
  });

  it('refuses a contract with an unknown payee or allocation, and contract fields on a direct request', async () => {
    const unknownPayee = await c.createContract({ allocationId, payeeId: 'no-such-payee', valueVnd: 1 });
    expect(unknownPayee.status).toBe(404);
    const noPayeeOnContract = await c.submitOn((await newContract()).id, {
      kind: 'payment',
      amountVnd: 1_000_000,
      payee: { name: 'Ai đó', kind: 'household' },
    });
    expect(noPayeeOnContract.status).toBe(400);
    expect(noPayeeOnContract.body.error.message).toMatch(/payee/);
    const recoveryOnDirect = await s.submit(allocationId, 1_000_000, 'finance-lan', undefined, {
      recoveryVnd: 1,
    });
    expect(recoveryOnDirect.status).toBe(400);
  });

  it('lists contracts by allocation, year and commune, with their figures, within the caller’s reach', async () => {
    const own = (await s.createAllocation({ commune: "Tr'Hy", amountVnd: 3_000_000_000 })).id;
    const contract = await c.createContract({
      allocationId: own,
      payeeId: contractorId,
      valueVnd: 2_000_000_000,
    });
    expect(contract.status).toBe(201);
    await posted(contract.body.id, { kind: 'advance', amountVnd: 500_000_000 });
    const list = async (query: string, token: Promise<string>) =>
      rt.call('GET', `/contracts?${query}`, { token: await token });
    const inspector = s.as('inspector-contracts', 'inspector');

    const ofAllocation = await list(`allocationId=${own}`, inspector);
    expect(ofAllocation.status).toBe(200);
    expect(ofAllocation.body.items).toEqual([
      expect.objectContaining({
        id: contract.body.id,
        number: '05/2024/HĐXD',
        signedOn: '2024-03-15',
        kind: 'construction',
        payee: { name: 'Công ty Xây dựng Tây Giang', kind: 'contractor' },
        valueVnd: 2_000_000_000,
        paidVnd: 0,
        advancedVnd: 500_000_000,
        recoveredVnd: 0,
        advanceOutstandingVnd: 500_000_000,
      }),
    ]);
    const ofCommune = await list(`fiscalYear=2024&commune=${encodeURIComponent("Tr'Hy")}`, inspector);
    expect(ofCommune.body.items.map((x: { id: string }) => x.id)).toContain(contract.body.id);
    expect(
      ofCommune.body.items.every((x: { commune: string; fiscalYear: number }) => x.commune === "Tr'Hy"),
    ).toBe(true);

    // A commune's account sees its commune's contracts only, and may not ask for another's.
    const aTieng = rt.token('commune-a-tieng', ['inspector'], { commune: 'A Tiêng' });
    const fromATieng = await list('fiscalYear=2024', aTieng);
    expect(fromATieng.status).toBe(200);
    expect(fromATieng.body.items.length).toBeGreaterThan(0);
    expect(fromATieng.body.items.every((x: { commune: string }) => x.commune === 'A Tiêng')).toBe(true);
    expect((await list(`allocationId=${own}`, aTieng)).body.items).toEqual([]);
    expect((await list(`commune=${encodeURIComponent("Tr'Hy")}`, aTieng)).status).toBe(403);
    // Another jurisdiction's account finds none of them.
    const daNang = rt.token('lan-dn', ['inspector'], { jurisdiction: 'da-nang' });
    expect((await list(`allocationId=${own}`, daNang)).body.items).toEqual([]);
    // A commune that is not one is a 400 naming the query field.
    const unknown = await list('commune=Nowhere', inspector);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/query\.commune/);
  });
});
