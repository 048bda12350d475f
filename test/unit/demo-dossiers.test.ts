import { describe, expect, it } from 'vitest';
import { cashOutOf, contractPlan, nextPayment, splitLastPayment } from '../../local/demo-contracts.ts';
import { illustrativePdf } from '../../local/demo-documents.ts';
import { demoPayees, PLANTED_SHARED_ACCOUNT } from '../../local/demo-history.ts';
import { demoCitizenId, demoTaxCode } from '../../local/demo-payees.ts';
import { amendValue, commitClaim, newContract, postClaim } from '../../shared/ledger/domain/contract.ts';
import { newPayeeProblem, taxCodeProblem } from '../../shared/payees/domain/payee.ts';
import { contractPolicy } from '../../shared/platform/config/contract-policy/index.ts';

/** Runs a plan through the contract's own rules: each claim committed (checked) then posted. */
const runPlan = (plan: ReturnType<typeof contractPlan>) => {
  let c = newContract(
    {
      id: 'c',
      jurisdiction: 'tay-giang',
      allocationId: 'a',
      commune: 'A Tiêng',
      fiscalYear: 2024,
      number: '01/2024/HĐXD',
      signedOn: '2024-03-08',
      kind: 'construction',
      payeeId: 'p',
      payee: { name: 'Nhà thầu', kind: 'contractor' },
      valueVnd: plan.signedValueVnd ?? plan.valueVnd,
      advanceGuaranteeRequired: true,
      createdAt: '',
      createdBy: '',
      updatedAt: '',
    },
    contractPolicy,
  );
  const claim = (kind: 'advance' | 'payment', amountVnd: number, recoveryVnd = 0) => {
    const committed = commitClaim(c, { kind, amountVnd, recoveryVnd });
    c = { ...committed, ...postClaim(committed, { kind, amountVnd, recoveryVnd }) };
  };
  claim('advance', plan.advanceVnd);
  if (plan.signedValueVnd !== undefined) c = amendValue(c, plan.valueVnd);
  for (const p of plan.payments) claim('payment', p.grossVnd, p.recoveryVnd);
  return c;
};

describe('the demo contracts', () => {
  const cases = [
    { cash: 1_344_000_000, ceiling: 4_200_000_000, options: { payments: 2 as const } },
    { cash: 139_000_000, ceiling: 462_000_000, options: {} },
    { cash: 126_000_000, ceiling: 180_000_000, options: { recovered: true } },
    { cash: 2_448_000_000, ceiling: 3_600_000_000, options: { payments: 2 as const, amended: true } },
    { cash: 4_800_000_000, ceiling: 9_000_000_000, options: {} },
  ];

  it.each(cases)('pays out exactly $cash VND within the advance limit and the recovery rule', (c) => {
    const plan = contractPlan(c.cash, { ceilingVnd: c.ceiling, ...c.options });
    const after = runPlan(plan); // throws advance_limit_exceeded, recovery_invalid or contract_value_exceeded

    expect(cashOutOf(plan)).toBe(c.cash);
    expect(after.advancedVnd).toBe(plan.advanceVnd);
    expect(after.paidVnd).toBeLessThanOrEqual(after.valueVnd);
    expect(after.advancedVnd - after.recoveredVnd).toBe(
      c.options.recovered ? 0 : plan.advanceVnd - plan.payments.reduce((s, p) => s + p.recoveryVnd, 0),
    );
  });

  it('leaves the advance outstanding unless the plan recovers it, and signs an amended contract lower', () => {
    const outstanding = runPlan(contractPlan(1_485_000_000, { ceilingVnd: 3_300_000_000, payments: 2 }));
    const recovered = runPlan(contractPlan(126_000_000, { ceilingVnd: 180_000_000, recovered: true }));
    const amended = contractPlan(2_448_000_000, { ceilingVnd: 3_600_000_000, amended: true });

    expect(outstanding.advancedVnd - outstanding.recoveredVnd).toBeGreaterThan(0);
    expect(recovered.recoveredVnd).toBe(recovered.advancedVnd);
    expect(amended.signedValueVnd).toBeLessThan(amended.valueVnd);
  });

  it('recovers what the rule asks of a further payment', () => {
    const plan = contractPlan(1_485_000_000, { ceilingVnd: 3_300_000_000, payments: 2 });
    const next = nextPayment(plan, 300_000_000);

    expect(() => runPlan({ ...plan, payments: [...plan.payments, next] })).not.toThrow();
    expect(next.recoveryVnd).toBeGreaterThan(0);
  });

  it('splits the last payment into claims under 1 billion that pay out the same cash (the planted splitting case)', () => {
    // Bha Lê's DA1 central works (58% of 4,800 million paid out): its September stage is 1,123 million gross.
    const plan = contractPlan(2_784_000_000, { ceilingVnd: 4_800_000_000, payments: 2 });
    const split = splitLastPayment(plan, [390_000_000, 385_000_000]);
    const parts = split.payments.slice(1);

    expect(() => runPlan(split)).not.toThrow();
    expect(cashOutOf(split)).toBe(cashOutOf(plan));
    expect(parts.map((p) => p.grossVnd)).toEqual([390_000_000, 385_000_000, 348_000_000]);
    expect(parts.every((p) => p.grossVnd < 1_000_000_000)).toBe(true);
    expect(parts.reduce((s, p) => s + p.grossVnd, 0)).toBe(plan.payments.at(-1)?.grossVnd);
  });
});

describe('the demo payees', () => {
  it('are valid for the register, each identifier once, tax codes with their check digit', () => {
    const { payees } = demoPayees();
    const identifiers = payees.map((p) => p.taxCode ?? p.citizenId);

    expect(payees.map(({ id: _, ...p }) => newPayeeProblem(p)).filter(Boolean)).toEqual([]);
    expect(new Set(identifiers).size).toBe(payees.length);
    expect(new Set(payees.map((p) => p.id)).size).toBe(payees.length);
    expect(payees.filter((p) => p.kind === 'household')).toHaveLength(219); // 218 housed, 1 waiting
  });

  it("share one bank account only in the planted case: a cooperative paid into a housed household's account", () => {
    const { payees } = demoPayees();
    const byAccount = Map.groupBy(payees, (p) => `${p.bankAccount?.bankCode}|${p.bankAccount?.number}`);
    const shared = [...byAccount.values()].filter((group) => group.length > 1);

    expect(shared.map((group) => group.map((p) => p.id).sort())).toEqual([
      [PLANTED_SHARED_ACCOUNT.accountOfPayeeId, PLANTED_SHARED_ACCOUNT.payeeId].sort(),
    ]);
  });

  it('draws illustrative identifiers: tax codes that validate, citizen IDs outside every province', () => {
    const codes = Array.from({ length: 300 }, (_, n) => demoTaxCode(n + 1));

    expect(codes.map(taxCodeProblem).filter(Boolean)).toEqual([]);
    expect(new Set(codes).size).toBe(codes.length);
    expect(demoCitizenId(42)).toBe('099900000042');
  });
});

describe('the demo documents', () => {
  it('are one-page PDFs whose cross-reference table points at each object', () => {
    const pdf = illustrativePdf(['ILLUSTRATIVE', "Hộ ông Alăng (Ch'ơm)"]).toString('latin1');
    const xref = Number(/startxref\n(\d+)/.exec(pdf)?.[1]);
    const offsets = [...pdf.slice(xref).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));

    expect(pdf.startsWith('%PDF-1.4\n')).toBe(true);
    expect(pdf.slice(xref, xref + 4)).toBe('xref');
    expect(offsets.map((o) => pdf.slice(o, o + 7))).toEqual(offsets.map((_, i) => `${i + 1} 0 obj`));
    expect(pdf).toContain("(Ho ong Alang \\(Ch'om\\)) Tj");
  });
});
