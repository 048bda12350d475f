import { formatCount, formatPercent, formatVnd } from '../../shared/platform/format/vnd-format.ts';
import { vnDateOf } from '../../shared/platform/vn-calendar.ts';
import { lang } from './i18n.ts';

export { formatVnd };

/** dd/mm/yyyy of a calendar date (YYYY-MM-DD) or of an instant, in Vietnam time. */
export const formatDate = (value: string): string => {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : vnDateOf(value);
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
};

/** dd/mm/yyyy hh:mm of an instant, in Vietnam time. */
export const formatDateTime = (instant: string): string => {
  const vn = new Date(new Date(instant).getTime() + 7 * 3600 * 1000).toISOString();
  return `${formatDate(vn.slice(0, 10))} ${vn.slice(11, 16)}`;
};

/** A count or measure in the current language: `1.234` and `51,7` in Vietnamese, `1,234` and `51.7` in English. */
export const formatNumber = (value: number): string => formatCount(value, lang());

/** A 0–1 fraction as a percentage in the current language: `32,5%` / `32.5%`. */
export const pct = (fraction: number | null | undefined): string =>
  fraction === null || fraction === undefined ? '—' : formatPercent(fraction * 100, lang());
