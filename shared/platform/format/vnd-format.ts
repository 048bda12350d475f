/**
 * Money as Vietnamese readers write it: dots between thousands and the đồng sign after a space,
 * `1.234.567.890 ₫`. Written out by hand rather than with Intl, whose vi-VN output puts a no-break
 * space before the sign and differs between ICU versions.
 */
export const formatVnd = (amountVnd: number): string => {
  if (!Number.isSafeInteger(amountVnd)) throw new RangeError(`not a whole amount of VND: ${amountVnd}`);
  const digits = Math.abs(amountVnd).toString();
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${amountVnd < 0 ? '-' : ''}${grouped} ₫`;
};

/** A percentage with one decimal, a decimal comma in Vietnamese and a point in English: `32,5%` / `32.5%`. */
export const formatPercent = (value: number, lang: 'vi' | 'en', decimals = 1): string => {
  const text = value.toFixed(decimals);
  return `${lang === 'vi' ? text.replace('.', ',') : text}%`;
};

/** A count or measure with at most one decimal: `1.234` and `51,7` in Vietnamese, `1,234` and `51.7` in English. */
export const formatCount = (value: number, lang: 'vi' | 'en'): string => {
  const [whole = '0', fraction] = Math.abs(value).toFixed(1).replace(/\.0$/, '').split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, lang === 'vi' ? '.' : ',');
  const sign = value < 0 && (whole !== '0' || fraction !== undefined) ? '-' : '';
  return `${sign}${grouped}${fraction === undefined ? '' : `${lang === 'vi' ? ',' : '.'}${fraction}`}`;
};
