/** Largest amount the system accepts, in đồng: 10^15 VND, far above any plan and below 2^53. */
export const MAX_AMOUNT_VND = 1_000_000_000_000_000;

/** A positive whole number of đồng (VND has no minor unit), at most {@link MAX_AMOUNT_VND}. */
export const isAmountVnd = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0 && value <= MAX_AMOUNT_VND;
