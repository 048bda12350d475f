import { describe, expect, it } from 'vitest';
import {
  canonicalTaxCode,
  citizenIdProblem,
  identifierOf,
  identifierSearched,
  type NewPayee,
  newPayeeProblem,
  payeeOf,
  searchNameOf,
  taxCodeCheckDigit,
  taxCodeProblem,
} from '../../shared/payees/domain/payee.ts';
import { type SupportRule, supportClaimsOf } from '../../shared/payees/domain/support-rule.ts';
import { supportRules } from '../../shared/platform/config/support-rules/index.ts';
import { loadSupportRules } from '../../shared/platform/config/support-rules/load.ts';

const household: NewPayee = {
  kind: 'household',
  name: 'Hộ bà Đinh Thị Ánh',
  citizenId: '049187000123',
  bankAccount: { number: '3704205123456', bankCode: '970405' },
  commune: 'A Tiêng',
};
const contractor: NewPayee = {
  kind: 'contractor',
  name: 'Công ty TNHH Xây dựng Tây Giang',
  taxCode: '0100047516',
  bankAccount: { number: '1234567890', bankCode: '970418' },
  commune: 'A Tiêng',
};

describe('tax codes (mã số thuế)', () => {
  it('computes the check digit of the circular’s worked example, 010004751 → 6', () => {
    expect(taxCodeCheckDigit('010004751')).toBe(6);
    expect(taxCodeCheckDigit('031440905')).toBe(8);
  });

  it('has no check digit when 10 − (sum mod 11) is 10, so no such code is valid', () => {
    // 0*31 + … : a sum divisible by 11 leaves no single digit.
    expect(taxCodeCheckDigit('000000000')).toBeUndefined();
  });

  it('accepts 10 digits, and 13 written with or without the dash, kept as 10-dash-3', () => {
    expect(taxCodeProblem('0100047516')).toBeUndefined();
    expect(taxCodeProblem('0100047516-001')).toBeUndefined();
    expect(taxCodeProblem('0100047516001')).toBeUndefined();
    expect(canonicalTaxCode('0100047516001')).toBe('0100047516-001');
    expect(canonicalTaxCode('0100047516')).toBe('0100047516');
  });

  it('refuses a wrong check digit, a wrong length, letters and all-zero parts, saying what to fix', () => {
    expect(taxCodeProblem('0100047517')).toMatch(/check digit/);
    expect(taxCodeProblem('010004751')).toMatch(/10 digits/);
    expect(taxCodeProblem('01000475160')).toMatch(/10 digits/);
    expect(taxCodeProblem('01000475A6')).toMatch(/10 digits/);
    expect(taxCodeProblem('0100047516-000')).toMatch(/all zeros/);
    expect(taxCodeProblem('0000000000')).toMatch(/all zeros/);
  });
});

describe('citizen IDs (CCCD)', () => {
  it('are exactly 12 digits', () => {
    expect(citizenIdProblem('049187000123')).toBeUndefined();
    expect(citizenIdProblem('04918700012')).toMatch(/12 digits/);
    expect(citizenIdProblem('0491870001234')).toMatch(/12 digits/);
    expect(citizenIdProblem('04918700012a')).toMatch(/12 digits/);
  });
});

describe('a new payee', () => {
  it('is registered by the identifier its kind takes: people by citizen ID, organisations by tax code', () => {
    expect(newPayeeProblem(household)).toBeUndefined();
    expect(newPayeeProblem(contractor)).toBeUndefined();
    expect(newPayeeProblem({ ...household, kind: 'individual' })).toBeUndefined();
    expect(newPayeeProblem({ ...contractor, kind: 'cooperative' })).toBeUndefined();
    expect(newPayeeProblem({ ...contractor, kind: 'agency' })).toBeUndefined();
  });

  it('refuses a household without a citizen ID, or with a tax code instead', () => {
    const { citizenId: _, ...withoutId } = household;
    expect(newPayeeProblem(withoutId)).toEqual({
      field: 'citizenId',
      message: expect.stringMatching(/required/),
    });
    expect(newPayeeProblem({ ...withoutId, taxCode: '0100047516' })).toEqual({
      field: 'taxCode',
      message: expect.stringMatching(/send citizenId instead/),
    });
  });

  it('refuses an organisation without a valid tax code', () => {
    const { taxCode: _, ...withoutCode } = contractor;
    expect(newPayeeProblem(withoutCode)?.field).toBe('taxCode');
    expect(newPayeeProblem({ ...contractor, taxCode: '0100047517' })?.message).toMatch(/check digit/);
    expect(newPayeeProblem({ ...withoutCode, citizenId: '049187000123' })?.field).toBe('citizenId');
  });

  it('is kept with its identifier written canonically and its name folded for search', () => {
    const payee = payeeOf(
      { ...contractor, taxCode: '0100047516001' },
      { id: 'p1', jurisdiction: 'tay-giang', createdAt: '2026-01-01T00:00:00.000Z', createdBy: 'f' },
    );
    expect(payee.taxCode).toBe('0100047516-001');
    expect(payee.searchName).toBe('cong ty tnhh xay dung tay giang');
    expect(identifierOf(payee)).toEqual({ field: 'taxCode', type: 'TAX', value: '0100047516-001' });
  });
});

describe('search', () => {
  it('folds accents, đ and case, so "dinh thi" finds "Đinh Thị", whatever the Unicode form', () => {
    expect(searchNameOf('Hộ bà Đinh Thị Ánh')).toBe('ho ba dinh thi anh');
    expect(searchNameOf('Hộ bà Đinh Thị Ánh'.normalize('NFD'))).toBe('ho ba dinh thi anh');
    expect(searchNameOf('  ĐẮK   Pring ')).toBe('dak pring');
  });

  it('reads a query written as a tax code or citizen ID as an identifier, anything else as a name', () => {
    expect(identifierSearched('049187000123')).toEqual({
      field: 'citizenId',
      type: 'CCCD',
      value: '049187000123',
    });
    expect(identifierSearched('0100047516001')).toEqual({
      field: 'taxCode',
      type: 'TAX',
      value: '0100047516-001',
    });
    expect(identifierSearched(' 0100047516 ')?.value).toBe('0100047516');
    expect(identifierSearched('dinh')).toBeUndefined();
    expect(identifierSearched('12345')).toBeUndefined();
  });
});

describe('support rules', () => {
  const housing: SupportRule = {
    id: 'housing-once',
    label: { vi: 'Nhà ở', en: 'Housing' },
    payeeKinds: ['household'],
    outputKeys: ['houses'],
    components: ['DA5'],
  };
  const request = {
    payeeId: 'p1',
    payee: { kind: 'household' as const },
    component: 'DA2',
    outputs: { houses: 1 },
  };

  it('claim a household’s request declaring houses, or drawing on the housing component', () => {
    expect(supportClaimsOf([housing], request)).toEqual(['housing-once']);
    expect(supportClaimsOf([housing], { ...request, outputs: {}, component: 'DA5' })).toEqual([
      'housing-once',
    ]);
  });

  it('claim nothing for another kind of payee, other support, zero houses or an inline payee', () => {
    expect(supportClaimsOf([housing], { ...request, payee: { kind: 'contractor' } })).toEqual([]);
    expect(supportClaimsOf([housing], { ...request, outputs: { models: 2 } })).toEqual([]);
    expect(supportClaimsOf([housing], { ...request, outputs: { houses: 0 } })).toEqual([]);
    const { payeeId: _, ...inline } = request;
    expect(supportClaimsOf([housing], inline)).toEqual([]);
  });

  it('load from config: the default limits housing to once per household', () => {
    expect(supportRules).toEqual([
      expect.objectContaining({ id: 'housing-once', payeeKinds: ['household'] }),
    ]);
  });

  it('refuse a broken file, naming the field and the fix', () => {
    expect(() =>
      loadSupportRules('x.json', { rules: [{ ...housing, outputKeys: [], components: [] }] }),
    ).toThrow(/x\.json: rules\.0: must name at least one output key or component/);
    expect(() => loadSupportRules('x.json', { rules: [housing, housing] })).toThrow(/unique/);
    expect(() => loadSupportRules('x.json', { rules: [{ ...housing, payeeKinds: ['alien'] }] })).toThrow(
      /payeeKinds/,
    );
  });
});
