import * as z from 'zod';
import { solarDateOfLunar } from '../../lunar-calendar.ts';
import { isIsoDate, yearOf } from '../../vn-calendar.ts';
import {
  type HolidayAnnouncements,
  vietnamWorkingCalendar,
  type WorkingCalendar,
} from '../../working-days.ts';
import holidaysFile from './holidays.json' with { type: 'json' };

const movedDays = z.array(
  z.strictObject({
    date: z.string().refine(isIsoDate, 'must be a calendar date written YYYY-MM-DD'),
    reason: z.string().min(1, 'must say why the day moved'),
  }),
);

/** The shape of the holidays file; a broken file stops the deployment at load, naming the field. */
const HolidaysDocument = z.strictObject({
  source: z.string().min(1, 'must cite the law the rule comes from'),
  years: z.record(
    z.string().regex(/^\d{4}$/, 'must be a year written YYYY'),
    z
      .strictObject({
        source: z.string().min(1, "must cite the year's announcement"),
        daysOff: movedDays,
        workingDays: movedDays,
      })
      .refine(
        (y) =>
          new Set([...y.daysOff, ...y.workingDays].map((d) => d.date)).size ===
          y.daysOff.length + y.workingDays.length,
        'a date may be listed once, as a day off or as a working day',
      ),
  ),
});

/** Parses a holidays document, or throws naming the file, the field and what to fix. */
export const loadHolidayAnnouncements = (json: unknown, file = 'holidays.json'): HolidayAnnouncements => {
  const parsed = HolidaysDocument.safeParse(json);
  const problems = parsed.success
    ? Object.entries(parsed.data.years).flatMap(([year, y]) =>
        [...y.daysOff, ...y.workingDays]
          .filter((d) => yearOf(d.date) !== Number(year))
          .map((d) => `years.${year}: ${d.date} is not in ${year}; list it under its own year`),
      )
    : parsed.error.issues.map(
        (i) => `${i.path.length > 0 ? i.path.join('.') : '(the document)'}: ${i.message}`,
      );
  if (!parsed.success || problems.length > 0)
    throw new Error(`holidays file ${file}: ${problems.join('; ')}`);
  return { years: parsed.data.years };
};

/** The announced days of each year (edit holidays.json of this folder), checked at load. */
export const holidayAnnouncements: HolidayAnnouncements = loadHolidayAnnouncements(holidaysFile);

/** Vietnam's working days: the Labour Code's holidays, Tết by the lunar calendar, the announced moves. */
export const workingCalendar: WorkingCalendar = vietnamWorkingCalendar(
  solarDateOfLunar,
  holidayAnnouncements,
);
