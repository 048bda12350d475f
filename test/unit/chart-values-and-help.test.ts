import { describe, expect, it } from 'vitest';
import { legendIndex, monthStarts, monthStep, valueAt } from '../../web/src/chart-values.ts';
import { inlineCodeParts } from '../../web/src/inline-code.ts';

const day = (iso: string) => Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / 1000;
const iso = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);

describe("the overview chart's time axis", () => {
  // The unit project runs in the machine's zone; `TZ=Asia/Tokyo` and `TZ=America/Los_Angeles` runs of
  // this file give the same answers (nothing here reads the local zone), and so does the browser test.
  it('ticks on the 1st of every month of the year, at UTC midnight, whatever TZ the process has', () => {
    const ticks = monthStarts(day('2024-01-01'), day('2024-12-31'));
    expect(ticks.map(iso)).toEqual([
      '2024-01-01',
      '2024-02-01',
      '2024-03-01',
      '2024-04-01',
      '2024-05-01',
      '2024-06-01',
      '2024-07-01',
      '2024-08-01',
      '2024-09-01',
      '2024-10-01',
      '2024-11-01',
      '2024-12-01',
    ]);
    expect(ticks.every((t) => t % 86_400 === 0)).toBe(true);
  });

  it('starts at the next 1st when the range starts mid-month, and crosses into the next year', () => {
    expect(monthStarts(day('2024-10-15'), day('2025-02-10')).map(iso)).toEqual([
      '2024-11-01',
      '2024-12-01',
      '2025-01-01',
      '2025-02-01',
    ]);
  });

  it('thins the ticks on a narrow chart, keeping January, April, July and October on a phone', () => {
    expect(monthStep(700)).toBe(1);
    expect(monthStep(390)).toBe(2);
    expect(monthStep(300)).toBe(3);
    expect(monthStarts(day('2024-01-01'), day('2024-12-31'), 3).map(iso)).toEqual([
      '2024-01-01',
      '2024-04-01',
      '2024-07-01',
      '2024-10-01',
    ]);
  });
});

describe("the overview chart's legend before any hover", () => {
  const xs = ['2024-01-01', '2024-03-31', '2024-06-30', '2024-09-30', '2024-12-31'].map(day);

  it('rests on the as-of day, or the last day without one', () => {
    expect(legendIndex(xs, day('2024-09-30'))).toBe(3);
    expect(legendIndex(xs, day('2024-10-10'))).toBe(3);
    expect(legendIndex(xs, undefined)).toBe(4);
  });

  it('reads a cumulative line as its last total, and stops where the line stops', () => {
    const actual = [0, 10, null, 32.39, null];
    expect(valueAt(xs, actual, 2, 'step')).toBe(10);
    expect(valueAt(xs, actual, 3, 'step')).toBe(32.39);
    expect(valueAt(xs, actual, 4, 'step')).toBeNull();
  });

  it('reads an expected curve between its milestones as a straight line', () => {
    const expected = [0, null, null, 60, 100];
    const share = (day('2024-06-30') - day('2024-01-01')) / (day('2024-09-30') - day('2024-01-01'));
    expect(valueAt(xs, expected, 2, 'linear')).toBeCloseTo(60 * share, 9);
    expect(valueAt(xs, expected, 3, 'linear')).toBe(60);
    expect(valueAt(xs, [null, null, 5, 7, null], 0, 'linear')).toBeNull();
  });
});

describe('the sign-in help', () => {
  it('shows the token command as code, without Markdown backticks, in both languages', () => {
    for (const help of [
      'Chạy `npm run -s token -- --sub <tên> --groups <vai trò>` rồi dán kết quả vào đây.',
      'Run `npm run -s token -- --sub <name> --groups <role>` and paste its output here.',
    ]) {
      const parts = inlineCodeParts(help);
      expect(parts.filter((p) => p.code).map((p) => p.text)).toEqual([
        expect.stringMatching(/^npm run -s token -- --sub <[^>]+> --groups <[^>]+>$/),
      ]);
      expect(parts.map((p) => p.text).join('')).not.toContain('`');
      expect(parts.map((p) => p.text).join('')).toBe(help.replaceAll('`', ''));
    }
  });

  it('leaves an unpaired backtick as it is', () => {
    expect(inlineCodeParts('a ` b')).toEqual([{ text: 'a ` b', code: false }]);
  });
});
