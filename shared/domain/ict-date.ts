/** Vietnam's time zone, Asia/Ho_Chi_Minh: UTC+7 all year (no daylight saving). */
const ICT_OFFSET_MS = 7 * 3600 * 1000;

/** The instant a calendar day (YYYY-MM-DD) starts in Asia/Ho_Chi_Minh, as a UTC ISO string. */
export const ictDayStart = (date: string): string => new Date(`${date}T00:00:00.000+07:00`).toISOString();

/** The instant the next calendar day starts in Asia/Ho_Chi_Minh: the exclusive end of `date`. */
export const ictDayEnd = (date: string): string =>
  new Date(Date.parse(ictDayStart(date)) + 86_400_000).toISOString();

/** The calendar day (YYYY-MM-DD) of an instant in Asia/Ho_Chi_Minh. */
export const ictDate = (instant: Date): string =>
  new Date(instant.getTime() + ICT_OFFSET_MS).toISOString().slice(0, 10);
