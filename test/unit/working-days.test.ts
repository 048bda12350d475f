import { describe, expect, it } from 'vitest';
import {
  holidayAnnouncements,
  loadHolidayAnnouncements,
  workingCalendar,
} from '../../shared/platform/config/holidays/index.ts';
import { solarDateOfLunar } from '../../shared/platform/lunar-calendar.ts';
import {
  daysOffOf,
  statutoryHolidays,
  vietnamWorkingCalendar,
  workingDaysBetween,
} from '../../shared/platform/working-days.ts';

const between = (from: string, to: string) => workingDaysBetween(from, to, workingCalendar);

describe("Vietnam's lunar calendar (UTC+7)", () => {
  it('places Tết on the days Vietnam kept: 10/02/2024, 29/01/2025, 17/02/2026', () => {
    expect([2024, 2025, 2026].map((y) => solarDateOfLunar(1, 1, y))).toEqual([
      '2024-02-10',
      '2025-01-29',
      '2026-02-17',
    ]);
  });

  it("places Tết 2030 on 2 February, a day before China's (computed for UTC+8)", () => {
    expect(solarDateOfLunar(1, 1, 2030)).toBe('2030-02-02');
  });

  it('places Giỗ Tổ Hùng Vương (10/3 lunar) on 18/04/2024, 07/04/2025, 26/04/2026', () => {
    expect([2024, 2025, 2026].map((y) => solarDateOfLunar(10, 3, y))).toEqual([
      '2024-04-18',
      '2025-04-07',
      '2026-04-26',
    ]);
  });
});

describe('working days between two dates', () => {
  it('counts the weekdays after the first date up to and including the second', () => {
    // Monday 23/09/2024 to Monday 30/09/2024: Tuesday to Friday and the Monday.
    expect(between('2024-09-23', '2024-09-30')).toBe(5);
    expect(between('2024-09-27', '2024-09-30')).toBe(1);
    expect(between('2024-09-30', '2024-09-30')).toBe(0);
    expect(between('2024-09-30', '2024-09-23')).toBe(0);
  });

  it('skips Tết 2024 (08/02 to 14/02, as announced): two working days from Wednesday 07/02 to Friday 16/02', () => {
    expect(between('2024-02-07', '2024-02-16')).toBe(2);
  });

  it('skips Tết 2025 (27/01 to 31/01): two working days from Friday 24/01 to Tuesday 04/02', () => {
    expect(between('2025-01-24', '2025-02-04')).toBe(2);
  });

  it('skips Tết 2026 (16/02 to 20/02, by the rule and Thông báo 9441/TB-BNV): one from Friday 13/02 to Monday 23/02', () => {
    expect(between('2026-02-13', '2026-02-23')).toBe(1);
  });

  it('skips Quốc khánh and its adjacent day: 02–03/09/2024 (2/9 a Monday), 01–02/09/2025', () => {
    expect(between('2024-08-30', '2024-09-04')).toBe(1);
    expect(between('2025-08-29', '2025-09-03')).toBe(1);
  });

  it('skips 30/4 and 1/5, and the 2024 swap: Monday 29/04 off, Saturday 04/05 worked', () => {
    // 2026: Thursday 30/04 and Friday 1/05.
    expect(between('2026-04-29', '2026-05-04')).toBe(1);
    // 2024: Friday 26/04 to Monday 06/05: only Thursday 2/5, Friday 3/5, Saturday 4/5 and Monday 6/5.
    expect(between('2024-04-26', '2024-05-06')).toBe(4);
  });

  it("keeps 2026's New Year swap: Friday 02/01 off, Saturday 10/01 worked", () => {
    expect(between('2025-12-31', '2026-01-05')).toBe(1);
    expect(between('2026-01-09', '2026-01-12')).toBe(2);
  });

  it('gives a compensatory day on the next working day for a holiday on a weekend (art. 111(3))', () => {
    // Giỗ Tổ 2026 is a Sunday: Monday 27/04/2026 is off. 1/1/2028 is a Saturday: Monday 03/01/2028 is off.
    expect(workingCalendar.isWorkingDay('2026-04-27')).toBe(false);
    expect(workingCalendar.isWorkingDay('2028-01-03')).toBe(false);
    expect(workingCalendar.isWorkingDay('2028-01-04')).toBe(true);
  });

  it('works out a year nobody announced from the rule alone (Tết 2030, Saturday 02/02: five weekdays off, the two on the weekend made up after)', () => {
    const ruleOnly = vietnamWorkingCalendar(solarDateOfLunar, { years: {} });
    const off = [...daysOffOf(2030, solarDateOfLunar, { years: {} })].filter((d) => d.startsWith('2030-02'));
    expect(off.sort()).toEqual(['2030-02-01', '2030-02-04', '2030-02-05', '2030-02-06', '2030-02-07']);
    expect(statutoryHolidays(2030, solarDateOfLunar).filter((h) => h.name.startsWith('Tết Âm'))).toHaveLength(
      5,
    );
    expect(ruleOnly.isWorkingDay('2030-02-08')).toBe(true);
  });
});

describe('the holidays file', () => {
  it('cites an announcement for every year it moves days in', () => {
    for (const year of Object.values(holidayAnnouncements.years))
      expect(year.source.length).toBeGreaterThan(10);
  });

  it('refuses a day listed under another year, naming it', () => {
    const file = {
      source: 'Bộ luật Lao động 2019',
      years: { '2025': { source: 'x', daysOff: [{ date: '2026-01-02', reason: 'swap' }], workingDays: [] } },
    };
    expect(() => loadHolidayAnnouncements(file)).toThrow(/years\.2025: 2026-01-02 is not in 2025/);
  });

  it('refuses a date that is not a calendar date', () => {
    const file = {
      source: 'Bộ luật Lao động 2019',
      years: { '2025': { source: 'x', daysOff: [{ date: '2025-02-30', reason: 'swap' }], workingDays: [] } },
    };
    expect(() => loadHolidayAnnouncements(file)).toThrow(
      /years\.2025\.daysOff\.0\.date: must be a calendar date/,
    );
  });
});
