/**
 * Calendar dates in Asia/Ho_Chi_Minh ("giờ Việt Nam"): UTC+7 all year, no daylight saving, so a fixed
 * offset is exact and the domain needs no time-zone database.
 */

/** A calendar date, `YYYY-MM-DD`, in Vietnam time. */
export type IsoDate = string;

const OFFSET_MS = 7 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

/** The Vietnam calendar date of an instant: 2024-09-30T17:00Z is already 1 October in Vietnam. */
export const vnDateOf = (instant: Date | string): IsoDate => {
  const ms = new Date(instant).getTime();
  if (Number.isNaN(ms)) throw new RangeError(`not an instant: ${String(instant)}`);
  return new Date(ms + OFFSET_MS).toISOString().slice(0, 10);
};

/** The Vietnam calendar date of an instant as people write it, `dd/mm/yyyy`: 2024-09-30T17:00Z is 01/10/2024. */
export const vnDayMonthYear = (instant: Date | string): string => {
  const [y, m, d] = vnDateOf(instant).split('-');
  return `${d}/${m}/${y}`;
};

/** The instant a Vietnam calendar day starts (midnight in Vietnam is 17:00 UTC the day before). */
export const vnMidnight = (date: IsoDate): Date => new Date(dayNumber(date) * DAY_MS - OFFSET_MS);

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a real calendar date written `YYYY-MM-DD`, else NaN: read once, checked by a round trip. */
const parseDayNumber = (value: string): number => {
  const parts = ISO_DATE.exec(value);
  if (!parts) return Number.NaN;
  const [y, m, d] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const back = new Date(Date.UTC(y, m - 1, d));
  return back.getUTCFullYear() === y && back.getUTCMonth() === m - 1 && back.getUTCDate() === d
    ? back.getTime() / DAY_MS
    : Number.NaN;
};

/**
 * Dates read before, and days written before: a monitor run or a forecast reads the same few dates (today,
 * the deadlines, 31/12) tens of thousands of times. Real dates only, and at most this many of each (then
 * started afresh), so a process reading many distinct dates keeps a bounded memory.
 */
const REMEMBERED_DATES = 4096;
const dayNumbers = new Map<string, number>();
const isoDates = new Map<number, IsoDate>();
const remember = <K, V>(memory: Map<K, V>, key: K, value: V): V => {
  if (memory.size >= REMEMBERED_DATES) memory.clear();
  memory.set(key, value);
  return value;
};

const dayNumberOrNaN = (value: string): number => {
  const known = dayNumbers.get(value);
  if (known !== undefined) return known;
  const day = parseDayNumber(value);
  return Number.isNaN(day) ? day : remember(dayNumbers, value, day);
};

/** The calendar date of a day number (days since 1970-01-01). */
const isoDateOfDay = (day: number): IsoDate =>
  isoDates.get(day) ?? remember(isoDates, day, new Date(day * DAY_MS).toISOString().slice(0, 10));

/** True for a real calendar date written `YYYY-MM-DD` (2023-02-29 is not one). */
export const isIsoDate = (value: unknown): value is IsoDate =>
  typeof value === 'string' && !Number.isNaN(dayNumberOrNaN(value));

/** Days since 1970-01-01 of a calendar date: whole numbers, so date arithmetic never meets a clock. */
export const dayNumber = (date: IsoDate): number => {
  const day = dayNumberOrNaN(date);
  if (Number.isNaN(day)) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${date}`);
  return day;
};

/** Whole days from `from` to `to` (negative when `to` comes first). */
export const daysBetween = (from: IsoDate, to: IsoDate): number => dayNumber(to) - dayNumber(from);

/** The calendar date `days` days after `date` (before it when negative). */
export const addDays = (date: IsoDate, days: number): IsoDate => isoDateOfDay(dayNumber(date) + days);

/** Day of the week of a calendar date: 0 Sunday … 6 Saturday. */
export const weekdayOf = (date: IsoDate): number => (((dayNumber(date) + 4) % 7) + 7) % 7;

export const yearOf = (date: IsoDate): number => Number(date.slice(0, 4));

export const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/**
 * A date as people type it back as YYYY-MM-DD: `30/9/2024`, `30/09/2024` (or `2024-09-30`); '' when
 * empty, undefined when it is not a real calendar date.
 */
export const parseVnDate = (text: string): string | undefined => {
  const value = text.trim();
  if (value === '') return '';
  const dmy = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  const iso = dmy ? `${dmy[3]}-${dmy[2]?.padStart(2, '0')}-${dmy[1]?.padStart(2, '0')}` : value;
  return isIsoDate(iso) ? iso : undefined;
};
