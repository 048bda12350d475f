import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAmountVnd, MAX_AMOUNT_VND } from '../../shared/platform/money.ts';

describe('isAmountVnd', () => {
  it.each([1, 40_000_000, 999_999_999, 1_000_000_000, MAX_AMOUNT_VND])('accepts %d đồng', (value) => {
    expect(isAmountVnd(value)).toBe(true);
  });

  it.each([
    ['zero', 0],
    ['a negative amount', -1],
    ['a fraction of a đồng', 1.5],
    ['one đồng above the maximum', MAX_AMOUNT_VND + 1],
    ['an unsafe integer', 2 ** 53],
    ['NaN', Number.NaN],
    ['infinity', Number.POSITIVE_INFINITY],
    ['a numeric string', '40000000'],
    ['a bigint', 40_000_000n],
    ['null', null],
    ['undefined', undefined],
  ])('refuses %s', (_, value) => {
    expect(isAmountVnd(value)).toBe(false);
  });

  it('keeps its maximum at 10^15, below 2^53 so sums of a few amounts stay exact', () => {
    expect(MAX_AMOUNT_VND).toBe(10 ** 15);
    expect(Number.isSafeInteger(MAX_AMOUNT_VND * 8)).toBe(true);
  });

  it('accepts exactly the whole numbers from 1 to the maximum', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.double()), (value) => {
        const expected = Number.isInteger(value) && value >= 1 && value <= MAX_AMOUNT_VND;

        expect(isAmountVnd(value)).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});
