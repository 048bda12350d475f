import { describe, expect, it } from 'vitest';
import { assertCommuneOf } from '../../shared/jurisdictions/app/commune-check.ts';
import { jurisdictionCatalog } from '../../shared/jurisdictions/config/index.ts';
import { communeNamesIn } from '../../shared/jurisdictions/domain/administrative-unit.ts';
import { ValidationError } from '../../shared/platform/errors.ts';
import { caught } from './support/caught.ts';

const byId = (id: string) => {
  const j = jurisdictionCatalog.jurisdictions.find((x) => x.id === id);
  if (!j) throw new Error(id);
  return j;
};

describe('communeNamesIn', () => {
  it('gives the commune-level units that exist on some day of the year, and every one without a year', () => {
    expect(communeNamesIn(byId('tay-giang'), 2024)).toHaveLength(10);
    // The district's communes ended on 30 June 2025: they still count for 2025, not after.
    expect(communeNamesIn(byId('tay-giang'), 2025)).toContain('A Vương');
    expect(communeNamesIn(byId('tay-giang'), 2026)).toEqual([]);
    expect(communeNamesIn(byId('da-nang'), 2024)).toEqual([]);
    expect(communeNamesIn(byId('da-nang'), 2026)).toEqual(['Avương', 'Tây Giang', 'Hùng Sơn']);
    expect(communeNamesIn(byId('tay-giang'))).toContain("Tr'Hy");
  });
});

describe('assertCommuneOf', () => {
  it('accepts a commune of the jurisdiction in the year, and no commune at all', () => {
    expect(() =>
      assertCommuneOf(jurisdictionCatalog, 'tay-giang', 'A Tiêng', {
        field: 'body.commune',
        fiscalYear: 2024,
      }),
    ).not.toThrow();
    expect(() =>
      assertCommuneOf(jurisdictionCatalog, 'da-nang', undefined, { field: 'body.commune', fiscalYear: 2026 }),
    ).not.toThrow();
  });

  it('refuses another jurisdiction’s commune with a 400 naming the field and listing the valid names, in Vietnamese', () => {
    const error = caught(() =>
      assertCommuneOf(jurisdictionCatalog, 'tay-giang', 'Avương', {
        field: 'body.commune',
        fiscalYear: 2024,
      }),
    );

    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({
      code: 'invalid_request',
      details: { field: 'commune', commune: 'Avương', jurisdiction: 'tay-giang', fiscalYear: 2024 },
    });
    expect((error as Error).message).toMatch(
      /^body\.commune: "Avương" không phải là xã, phường của huyện Tây Giang năm 2024 .*Chọn một trong \/ use one of: A Nông, A Tiêng, A Vương/,
    );
  });

  it('refuses a commune of its own jurisdiction outside the year, saying when none exists', () => {
    const error = caught(() =>
      assertCommuneOf(jurisdictionCatalog, 'tay-giang', 'A Tiêng', {
        field: 'body.commune',
        fiscalYear: 2026,
      }),
    );

    expect((error as Error).message).toContain('has no commune-level unit in fiscal year 2026');
    expect(error).toMatchObject({ details: { allowed: [] } });
  });
});
