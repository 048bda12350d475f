import { AmountOutOfRangeError } from './errors.ts';
import { MAX_AMOUNT_VND } from './money.ts';

/**
 * Every running total the system keeps — an allocation's assigned, reserved, disbursed and available
 * VND, the outputs counted on it — lies in [0, {@link MAX_AMOUNT_VND}], whole numbers that JSON and
 * JavaScript hold exactly. Writes that would leave the range are refused (the conditional writes say
 * so too); a total stored outside it (older code, a hand edit) makes readers report that one item as
 * a problem instead of failing every list.
 */

/** A running total within range: a safe whole number in [0, 10^15]. */
export const isTotalInRange = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_AMOUNT_VND;

/** A stored total outside the range: its field, and its value exactly as stored (a decimal string). */
export interface OutOfRangeTotal {
  field: string;
  value: string;
}

/** The totals that are out of range, e.g. a bigint read past 2^53, a fraction, a negative. */
export const outOfRangeTotals = (totals: Record<string, unknown>): OutOfRangeTotal[] =>
  Object.entries(totals)
    .filter(([, value]) => !isTotalInRange(value))
    .map(([field, value]) => ({ field, value: String(value) }));

const LIMIT_TEXT = `${MAX_AMOUNT_VND} (10^15)`;

/**
 * Refuses an increase that would take a total past 10^15, saying the limit, the current value and the
 * largest increase that still fits. A current value already out of range is refused as it stands.
 */
export const assertIncreaseFits = (field: string, current: unknown, increase: number): void => {
  if (!isTotalInRange(current)) {
    throw new AmountOutOfRangeError(
      `${field} is stored as ${String(current)}, outside 0 to ${LIMIT_TEXT}; it cannot change until it is corrected.`,
      { field, limit: MAX_AMOUNT_VND, current: String(current) },
    );
  }
  if (increase <= 0 || current + increase <= MAX_AMOUNT_VND) return;
  throw new AmountOutOfRangeError(
    `${field} would become ${current + increase}, above the limit of ${LIMIT_TEXT}; it is ${current} now, so it can grow by at most ${MAX_AMOUNT_VND - current}.`,
    { field, limit: MAX_AMOUNT_VND, current, delta: increase, maxDelta: MAX_AMOUNT_VND - current },
  );
};

/** One allocation a read leaves out because a stored total is out of range; the read still answers. */
export interface TotalsProblem {
  allocationId: string;
  code: 'amount_out_of_range';
  message: string;
  totals: OutOfRangeTotal[];
}

/** The problem of an allocation whose stored totals are not all in range; undefined when they are. */
export const totalsProblem = (
  allocationId: string,
  totals: Record<string, unknown>,
): TotalsProblem | undefined => {
  const bad = outOfRangeTotals(totals);
  if (bad.length === 0) return undefined;
  const list = bad.map((t) => `${t.field} = ${t.value}`).join(', ');
  return {
    allocationId,
    code: 'amount_out_of_range',
    message: `Allocation ${allocationId} holds ${list}, outside 0 to ${LIMIT_TEXT} (written by older code or by hand): reads leave it out and report it, and it cannot change through the API until an operator corrects it.`,
    totals: bad,
  };
};

/** Refuses to work on an allocation whose stored totals are out of range (a 422 that names them). */
export const assertTotalsInRange = (allocationId: string, totals: Record<string, unknown>): void => {
  const problem = totalsProblem(allocationId, totals);
  if (problem) {
    throw new AmountOutOfRangeError(problem.message, { allocationId, totals: problem.totals });
  }
};

/** Splits items into those whose totals are all in range and one problem for each other one. */
export const splitByRange = <T>(
  items: readonly T[],
  idOf: (item: T) => string,
  totalsOf: (item: T) => Record<string, unknown>,
): { items: T[]; problems: TotalsProblem[] } => {
  const kept: T[] = [];
  const problems: TotalsProblem[] = [];
  for (const item of items) {
    const problem = totalsProblem(idOf(item), totalsOf(item));
    if (problem) problems.push(problem);
    else kept.push(item);
  }
  return { items: kept, problems };
};

/** The `problems` field of an answer: present only when some item was left out. */
export const problemsField = (problems: readonly TotalsProblem[]) =>
  problems.length > 0 ? { problems: [...problems] } : {};
