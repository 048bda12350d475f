import type { OpenPeriod } from '../app/ports.ts';

/**
 * The allocation update's condition that its deadline has not passed on `period.today` (ISO dates
 * compare as strings); one stored without a deadline takes the config default, so it passes while the
 * default is open. Empty without a period.
 */
export const periodCondition = (period: OpenPeriod | undefined) =>
  period === undefined
    ? { expression: '', values: {} }
    : {
        expression:
          period.defaultDeadline >= period.today
            ? ' AND (attribute_not_exists(deadline) OR deadline >= :today)'
            : ' AND deadline >= :today',
        values: { ':today': period.today },
      };

/**
 * Every write on an allocation is conditional on its year not being closed: the year-end close writes
 * `closing` on each allocation in the transaction that closes it (fiscal_year_closed after).
 */
export const OPEN_YEAR = 'attribute_not_exists(closing)';
