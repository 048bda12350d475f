import { describe, expect, it } from 'vitest';
import { formatCount } from '../../shared/platform/format/vnd-format.ts';
import { parseVnDate } from '../../shared/platform/vn-calendar.ts';

describe('dates typed the Vietnamese way', () => {
  it('reads dd/mm/yyyy, with or without leading zeros, and ISO dates, as YYYY-MM-DD', () => {
    expect(parseVnDate('30/09/2024')).toBe('2024-09-30');
    expect(parseVnDate(' 1/2/2025 ')).toBe('2025-02-01');
    expect(parseVnDate('2024-09-30')).toBe('2024-09-30');
    expect(parseVnDate('29/02/2024')).toBe('2024-02-29');
  });

  it('gives an empty string for an empty field and undefined for anything that is not a real date', () => {
    expect(parseVnDate('   ')).toBe('');
    for (const text of ['31/02/2024', '29/02/2023', '09/30/2024', '30-09-2024', '30/9/24', 'hôm nay']) {
      expect(parseVnDate(text), text).toBeUndefined();
    }
  });
});

describe('counts and measures', () => {
  it('group thousands and mark decimals the Vietnamese or the English way', () => {
    expect(formatCount(51.7, 'vi')).toBe('51,7');
    expect(formatCount(51.7, 'en')).toBe('51.7');
    expect(formatCount(1234567, 'vi')).toBe('1.234.567');
    expect(formatCount(1234567, 'en')).toBe('1,234,567');
    expect(formatCount(300, 'vi')).toBe('300');
  });

  it('keep at most one decimal, and a sign only on a non-zero negative', () => {
    expect(formatCount(99.96, 'vi')).toBe('100');
    expect(formatCount(0.04, 'en')).toBe('0');
    expect(formatCount(-0.04, 'en')).toBe('0');
    expect(formatCount(-1234.25, 'vi')).toBe('-1.234,3');
  });
});
