import { AppError } from '../../platform/errors.ts';
import { type IsoDate, isIsoDate, vnDateOf } from '../../platform/vn-calendar.ts';
import type { CapitalType } from './funding-line.ts';

/**
 * The last Vietnam calendar day a year's capital may be paid, by capital type: `month`/`day` of the
 * year `yearsAfter` the fiscal year (investment: 31/01 of the next year, Law on Public Investment).
 */
export interface DeadlineRule {
  month: number;
  day: number;
  yearsAfter: number;
}

export type DeadlineRules = Record<CapitalType, DeadlineRule>;

/** An extension of an allocation's deadline by a numbered decision ("quyết định kéo dài thời gian giải ngân"). */
export interface DeadlineExtension {
  decisionNumber: string;
  decidedOn: IsoDate;
  previousDeadline: IsoDate;
  deadline: IsoDate;
  by: string;
  at: string;
}

/** After the allocation's deadline: no submission, decision or posting draws on it any more. */
export class DisbursementPeriodClosedError extends AppError {
  readonly code = 'disbursement_period_closed';
  readonly status = 409;
}

/** An extension that does not move the deadline later, or moves it past what the law allows. */
export class InvalidExtensionError extends AppError {
  readonly code = 'invalid_extension';
  readonly status = 422;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** The deadline the rules give an allocation of `fiscalYear` and `capitalType` (config default). */
export const defaultDeadline = (
  rules: DeadlineRules,
  a: { fiscalYear: number; capitalType: CapitalType },
): IsoDate => {
  const rule = rules[a.capitalType];
  return `${pad(a.fiscalYear + rule.yearsAfter, 4)}-${pad(rule.month, 2)}-${pad(rule.day, 2)}`;
};

/** The allocation's deadline: its own (stored at creation, moved by extensions), else the config default. */
export const deadlineOf = (
  rules: DeadlineRules,
  a: { fiscalYear: number; capitalType: CapitalType; deadline?: IsoDate },
): IsoDate => a.deadline ?? defaultDeadline(rules, a);

/** True once `today` (a Vietnam date) is after the deadline: the deadline day itself is still open. */
export const isPastDeadline = (deadline: IsoDate, today: IsoDate): boolean => today > deadline;

/**
 * The day a write happens and the default deadline of the allocation (for one stored without its
 * own), which the store's condition reads: the allocation's deadline must be `today` or later.
 */
export const openPeriodFor = (
  rules: DeadlineRules,
  a: { fiscalYear: number; capitalType: CapitalType },
  now: Date | string,
): { today: IsoDate; defaultDeadline: IsoDate } => ({
  today: vnDateOf(now),
  defaultDeadline: defaultDeadline(rules, a),
});

/** The store's condition in plain terms: the allocation's own deadline (else the default) is today or later. */
export const periodHolds = (
  a: { deadline?: IsoDate },
  period: { today: IsoDate; defaultDeadline: IsoDate },
): boolean => !isPastDeadline(a.deadline ?? period.defaultDeadline, period.today);

/** Refuses a write on `today` after the allocation's deadline with 409 disbursement_period_closed. */
export const assertPeriodOpen = (allocation: { id: string }, deadline: IsoDate, today: IsoDate): void => {
  if (!isPastDeadline(deadline, today)) return;
  throw new DisbursementPeriodClosedError(
    `Allocation ${allocation.id} took payments until ${deadline}: its disbursement period is closed. A planner may extend it by a numbered decision (POST /allocations/${allocation.id}/extension).`,
    { deadline },
  );
};

/** Refuses a write in `period` on an allocation whose deadline (its own, else the default) has passed. */
export const assertPeriodHolds = (
  a: { id: string; deadline?: IsoDate },
  period: { today: IsoDate; defaultDeadline: IsoDate },
): void => assertPeriodOpen(a, a.deadline ?? period.defaultDeadline, period.today);

/** The latest deadline an extension may set: 31/12 of the year after the fiscal year (Law on Public Investment). */
export const extensionLimit = (fiscalYear: number): IsoDate => `${pad(fiscalYear + 1, 4)}-12-31`;

/**
 * Checks an extension of an allocation whose deadline is `current`: the new deadline must be a date
 * after it and no later than {@link extensionLimit}; the decision's date a real date (422 otherwise).
 */
export const checkExtension = (
  allocation: { id: string; fiscalYear: number },
  current: IsoDate,
  input: { decidedOn: IsoDate; deadline: IsoDate },
): void => {
  const limit = extensionLimit(allocation.fiscalYear);
  const refuse = (why: string): never => {
    throw new InvalidExtensionError(
      `body.deadline: ${why}; an extension of allocation ${allocation.id} (fiscal year ${allocation.fiscalYear}) moves its deadline after ${current} and no later than ${limit}.`,
      { deadline: input.deadline, currentDeadline: current, limit },
    );
  };
  if (!isIsoDate(input.deadline)) refuse(`${input.deadline} is not a date (YYYY-MM-DD)`);
  if (input.deadline <= current) refuse(`${input.deadline} is not after the current deadline ${current}`);
  if (input.deadline > limit) refuse(`${input.deadline} is after the limit ${limit}`);
};
