import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cellText, choiceOf, outputsOf, wholeNumber } from '../../shared/imports/domain/cell-values.ts';
import { folded } from '../../shared/imports/domain/folded-text.ts';
import { columnLetter } from '../../shared/imports/domain/sheet-table.ts';

/** A whole number written as a Vietnamese (dots), English (commas) or spaced spreadsheet user would. */
const grouped = (n: number, separator: string) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, separator);

describe('whole numbers in cells', () => {
  it.each([
    [40_000_000, 40_000_000],
    ['40.000.000', 40_000_000],
    ['40,000,000', 40_000_000],
    ['40 000 000', 40_000_000],
    [' 1.500.000.000 đ', 1_500_000_000],
    ['250000 VND', 250_000],
    ['2024', 2024],
    ['40.000', 40_000],
  ])('reads %j as %d', (cell, value) => {
    expect(wholeNumber(cell)).toEqual({ ok: true, value });
  });

  it.each([
    [1500.5, 'fraction'],
    ['40,5', 'fraction'],
    ['40.000,50', 'fraction'],
    ['1.234.56', 'fraction'],
    ['-5', 'negative'],
    [-5, 'negative'],
    ['40.000,000', 'fraction'],
    ['bốn mươi', 'not_a_number'],
    [true, 'not_a_number'],
    ['99999999999999999999', 'too_large'],
  ])('refuses %j as %s, saying so in Vietnamese', (cell, code) => {
    const reading = wholeNumber(cell);
    expect(reading).toMatchObject({ ok: false, code });
    expect(reading.ok ? '' : reading.problem).toMatch(/số|phần lẻ/);
  });

  it('reads back every safe whole number however it is grouped', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        fc.constantFrom('', '.', ',', ' '),
        (n, separator) => {
          expect(wholeNumber(grouped(n, separator))).toEqual({ ok: true, value: n });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never reads a number with a fraction as a whole number', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e12, noNaN: true }).filter((x) => !Number.isInteger(x)),
        (x) => {
          expect(wholeNumber(x).ok).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('codes, labels and outputs in cells', () => {
  it('pads a code a spreadsheet turned into a number back to its digits', () => {
    expect(cellText(70, 4)).toBe('0070');
    expect(cellText(1, 2)).toBe('01');
    expect(cellText('370-398', 7)).toBe('370-398');
    expect(cellText('  DA1 ')).toBe('DA1');
  });

  it('finds a label whatever its case, accents, spaces or dash', () => {
    expect(folded('  Loại–khoản ')).toBe(folded('loai - KHOAN'));
    expect(folded('Đề nghị')).toBe('de nghi');
    const choices = [
      { value: 'local', labels: ['Ngân sách huyện'] },
      { value: 'central', labels: ['Vốn trung ương'] },
    ];
    expect(choiceOf('NGAN SACH HUYEN', choices)).toEqual({ ok: true, value: 'local' });
    expect(choiceOf('central', choices)).toEqual({ ok: true, value: 'central' });
    expect(choiceOf('Vốn ODA', choices)).toMatchObject({
      ok: false,
      code: 'unknown_choice',
      problem: '"Vốn ODA" không có trong danh sách: ghi một trong «Ngân sách huyện», «Vốn trung ương»',
    });
  });

  it('reads outputs written key=count, refusing anything else', () => {
    expect(outputsOf('houses=1; km = 2')).toEqual({ ok: true, value: { houses: 1, km: 2 } });
    expect(outputsOf('houses=1.5')).toMatchObject({ ok: false, code: 'invalid_outputs' });
    expect(outputsOf('houses')).toMatchObject({ ok: false, code: 'invalid_outputs' });
    expect(outputsOf('houses=1;houses=2')).toMatchObject({ ok: false, code: 'invalid_outputs' });
  });

  it('names columns as a spreadsheet does', () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(columnLetter)).toEqual([
      'A',
      'B',
      'Z',
      'AA',
      'AB',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ]);
  });
});
