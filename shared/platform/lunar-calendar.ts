import { convertLunar2Solar } from 'vietnamese-lunar-calendar/build/solar-lunar/convert-solar.js';
import type { IsoDate } from './vn-calendar.ts';

/**
 * Vietnam's lunar calendar ("âm lịch") has been computed for UTC+7 since 1968, not for Beijing's UTC+8:
 * most years agree with the Chinese calendar, but not all (Tết 2030 is 2 February in Vietnam, 3 February
 * in China; Giỗ Tổ 2037 and 2038 a day apart too). The library implements Hồ Ngọc Đức's published
 * algorithm with the time zone as a parameter (docs/fiscal-year.md "Working days").
 */
const VIETNAM_UTC_OFFSET_HOURS = 7;

/** The solar (Gregorian) date of a day of a lunar year, not in a leap month: Tết of 2025 is (1, 1, 2025). */
export const solarDateOfLunar = (day: number, month: number, lunarYear: number): IsoDate => {
  const out = convertLunar2Solar(day, month, lunarYear, 0, VIETNAM_UTC_OFFSET_HOURS);
  if (!(out instanceof Date) || Number.isNaN(out.getTime())) {
    throw new RangeError(`no solar date for lunar ${day}/${month}/${lunarYear}`);
  }
  // The library builds the Date from local-time parts: read them back the same way, whatever the host's zone.
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${out.getFullYear()}-${pad(out.getMonth() + 1)}-${pad(out.getDate())}`;
};
