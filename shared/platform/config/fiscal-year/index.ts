import * as z from 'zod';
import type { DeadlineRules } from '../../../ledger/domain/disbursement-deadline.ts';
import { CAPITAL_TYPES } from '../../../ledger/domain/funding-line.ts';
import { parseConfigFile } from '../config-file.ts';
import deadlinesFile from './disbursement-deadlines.json' with { type: 'json' };

const rule = z
  .strictObject({
    month: z.int('must be a whole month').min(1).max(12),
    day: z.int('must be a whole day').min(1).max(31),
    yearsAfter: z.int('must be 0 (the fiscal year) or 1 (the next year)').min(0).max(1),
  })
  .refine((r) => r.day <= new Date(Date.UTC(2001, r.month, 0)).getUTCDate(), 'is not a day of that month');

/** The shape of the deadline file; a broken file stops the deployment at load, naming the field. */
const DeadlinesDocument = z.strictObject({
  source: z.string().min(1, 'must cite the rule the deadlines come from'),
  deadlines: z.strictObject(
    Object.fromEntries(CAPITAL_TYPES.map((t) => [t, rule])) as Record<
      (typeof CAPITAL_TYPES)[number],
      typeof rule
    >,
  ),
});

/** Parses a disbursement-deadline document, or throws naming the file, the field and what to fix. */
export const loadDeadlineRules = (json: unknown, file = 'disbursement-deadlines.json'): DeadlineRules =>
  parseConfigFile(DeadlinesDocument, json, `fiscal-year deadline file ${file}`).deadlines;

/** Disbursement deadlines by capital type (edit disbursement-deadlines.json of this folder), checked at load. */
export const deadlineRules: DeadlineRules = loadDeadlineRules(deadlinesFile);
