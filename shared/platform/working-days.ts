import { addDays, dayNumber, type IsoDate, weekdayOf, yearOf } from './vn-calendar.ts';

/**
 * Working days in Vietnam ("ngày làm việc"): Monday to Friday, less the public holidays of the Labour
 * Code 2019 (art. 112) and the days the Government moves for a year. Pure: the lunar calendar comes in
 * as a function, the year's announcements as data (shared/platform/config/holidays/).
 */

/** The solar date of a lunar day (day, month, lunar year), Vietnam's lunar calendar (UTC+7). */
export type LunarToSolar = (day: number, month: number, lunarYear: number) => IsoDate;

/** A day the Government moved for one year, with the act that moved it. */
export interface MovedDay {
  date: IsoDate;
  reason: string;
}

/** What the Government announced for one year, over the statutory rule. */
export interface YearAnnouncement {
  /** The notices or decisions that set the year's days (cited in docs/fiscal-year.md). */
  source: string;
  /** Weekdays off that the rule counts as working (a swapped Friday, a Tết day placed otherwise). */
  daysOff: MovedDay[];
  /** Days worked that the rule counts as off (the Saturday worked for a swap, a rule day moved away). */
  workingDays: MovedDay[];
}

/** Per-year announcements, by year (`"2026"`). */
export interface HolidayAnnouncements {
  years: Record<string, YearAnnouncement>;
}

/** One public holiday of the statutory rule. */
export interface PublicHoliday {
  date: IsoDate;
  name: string;
}

/**
 * The public holidays of a Gregorian year by the Labour Code 2019, art. 112(1): Tết Dương lịch (1/1);
 * Tết Âm lịch, 5 days (by default the lunar year's last day and the first four of the new one: the
 * Prime Minister sets the actual days each year, which the announcements carry); Giỗ Tổ Hùng Vương
 * (10/3 lunar); 30/4; 1/5; Quốc khánh 2/9 and one adjacent day (by default 1/9, or 3/9 when 2/9 is a
 * Monday, as the Government chose in 2024 and 2025).
 */
export const statutoryHolidays = (year: number, lunar: LunarToSolar): PublicHoliday[] => {
  const tet = lunar(1, 1, year);
  const nationalDay = `${year}-09-02`;
  return [
    { date: `${year}-01-01`, name: 'Tết Dương lịch' },
    { date: addDays(tet, -1), name: 'Tết Âm lịch (cuối năm)' },
    ...[0, 1, 2, 3].map((n) => ({ date: addDays(tet, n), name: `Tết Âm lịch (mùng ${n + 1})` })),
    { date: lunar(10, 3, year), name: 'Giỗ Tổ Hùng Vương' },
    { date: `${year}-04-30`, name: 'Ngày Chiến thắng' },
    { date: `${year}-05-01`, name: 'Ngày Quốc tế lao động' },
    { date: nationalDay, name: 'Quốc khánh' },
    {
      date: weekdayOf(nationalDay) === 1 ? `${year}-09-03` : `${year}-09-01`,
      name: 'Quốc khánh (ngày liền kề)',
    },
  ];
};

const isWeekend = (date: IsoDate) => weekdayOf(date) === 0 || weekdayOf(date) === 6;

/**
 * The weekdays off of a year: the statutory holidays, a compensatory day ("nghỉ bù", art. 111(3))
 * on the next working day for each holiday that falls on a weekend, then the year's announcements.
 */
export const daysOffOf = (
  year: number,
  lunar: LunarToSolar,
  announcements: HolidayAnnouncements,
): Set<IsoDate> => {
  const holidays = statutoryHolidays(year, lunar).map((h) => h.date);
  const off = new Set(holidays);
  for (const date of holidays) {
    if (!isWeekend(date)) continue;
    let next = addDays(date, 1);
    while (isWeekend(next) || off.has(next)) next = addDays(next, 1);
    off.add(next);
  }
  const announced = Object.hasOwn(announcements.years, String(year))
    ? announcements.years[String(year)]
    : undefined;
  for (const d of announced?.daysOff ?? []) off.add(d.date);
  for (const d of announced?.workingDays ?? []) off.delete(d.date);
  // Weekends are told apart by the calendar itself (an announced working Saturday included).
  return new Set([...off].filter((d) => !isWeekend(d)));
};

/** Tells working days from days off. */
export interface WorkingCalendar {
  isWorkingDay(date: IsoDate): boolean;
}

/** Vietnam's working calendar: the rule, the lunar calendar and the announcements; each year worked out once. */
export const vietnamWorkingCalendar = (
  lunar: LunarToSolar,
  announcements: HolidayAnnouncements,
): WorkingCalendar => {
  const years = new Map<number, Set<IsoDate>>();
  const worked = new Set(Object.values(announcements.years).flatMap((a) => a.workingDays.map((d) => d.date)));
  const offIn = (year: number) => {
    let off = years.get(year);
    if (!off) {
      off = daysOffOf(year, lunar, announcements);
      years.set(year, off);
    }
    return off;
  };
  return {
    isWorkingDay: (date) => (isWeekend(date) ? worked.has(date) : !offIn(yearOf(date)).has(date)),
  };
};

/**
 * Working days from `from` to `to`: those after `from`, up to and including `to` (0 when `to` is not
 * after `from`). A request sent on Friday has waited one working day on Monday, and none over a
 * weekend or the days of Tết.
 */
export const workingDaysBetween = (from: IsoDate, to: IsoDate, calendar: WorkingCalendar): number => {
  const days = dayNumber(to) - dayNumber(from);
  let count = 0;
  for (let n = 1; n <= days; n++) if (calendar.isWorkingDay(addDays(from, n))) count++;
  return count;
};
