/** How a series reads between its points: a cumulative total holds its last value, a curve is a straight line. */
export type Between = 'step' | 'linear';

/**
 * A series' value on the day at `idx` of the chart's days (`xs`, seconds), read from its points
 * (`ys`, null where it has none): a step series its last point on or before that day, a linear one
 * the straight line between its points around that day; null before its first point or after its
 * last (a line that stops at the as-of day shows nothing after it).
 */
export const valueAt = (
  xs: readonly number[],
  ys: readonly (number | null | undefined)[],
  idx: number,
  between: Between,
): number | null => {
  let before = idx;
  while (before >= 0 && ys[before] == null) before -= 1;
  let after = idx;
  while (after < ys.length && ys[after] == null) after += 1;
  if (before < 0 || after >= ys.length) return null;
  const y0 = ys[before] as number;
  const y1 = ys[after] as number;
  if (between === 'step' || after === before) return y0;
  const x0 = xs[before] ?? 0;
  const x1 = xs[after] ?? 0;
  const x = xs[idx] ?? x0;
  return x1 === x0 ? y0 : y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
};

/** The index of the chart's day the legend shows before any hover: the last day on or before `asOf`. */
export const legendIndex = (xs: readonly number[], asOfSeconds: number | undefined): number => {
  if (asOfSeconds === undefined) return Math.max(0, xs.length - 1);
  let found = 0;
  xs.forEach((x, i) => {
    if (x <= asOfSeconds) found = i;
  });
  return found;
};

/**
 * The time axis' ticks: midnight UTC of the first of each month from `min` to `max` (seconds), every
 * `step` months (January counts from). The chart's days are UTC midnights, so a tick is on the 1st
 * whatever the browser's time zone.
 */
export const monthStarts = (min: number, max: number, step = 1): number[] => {
  const first = new Date(min * 1000);
  const year = first.getUTCFullYear();
  // Months counted from January of the first day's year (Date.UTC rolls 12 over to the next January).
  let month = first.getUTCMonth();
  if (Date.UTC(year, month, 1) / 1000 < min) month += 1;
  const ticks: number[] = [];
  for (let at = Date.UTC(year, month, 1) / 1000; at <= max; at = Date.UTC(year, month, 1) / 1000) {
    if ((month % 12) % step === 0) ticks.push(at);
    month += 1;
  }
  return ticks;
};

/** How many months apart the ticks are on a chart this wide (a label "01/09" takes about 45 px). */
export const monthStep = (widthPx: number): number => (widthPx >= 560 ? 1 : widthPx >= 380 ? 2 : 3);
