import * as z from 'zod';
import {
  type ApprovalPolicies,
  INVESTOR_KINDS,
  type TiersOf,
  UNIT_TIERS,
  validatePolicies,
  validatePolicy,
} from '../../../ledger/domain/approval-policy.ts';
import { FUNDING_LINES } from '../../../ledger/domain/funding-line.ts';
import { MAX_AMOUNT_VND } from '../../money.ts';

const name = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{0,39}$/,
    'must be a lower-case name of letters, digits and dashes (e.g. "district")',
  );
const year = z
  .int('must be a whole year')
  .min(2000, 'must be 2000 or later')
  .max(2100, 'must be 2100 or earlier');

/** The shape of one policy file; meaning (levels defined, tiers, coverage) is checked by validatePolicy. */
const PolicyDocument = z.strictObject({
  jurisdiction: name,
  fiscalYears: z
    .strictObject({ from: year, to: year.optional() })
    .refine((y) => y.to === undefined || y.to >= y.from, 'to must not be before from'),
  tiers: z.array(z.enum(UNIT_TIERS)).min(1, 'must list at least one unit tier'),
  levels: z.record(
    name,
    z.strictObject({
      tier: z.enum([...UNIT_TIERS, 'treasury']),
      group: z.string().min(1, 'must name the token group that decides the level'),
      label: z.strictObject({ vi: z.string().min(1).max(100), en: z.string().min(1).max(100) }).optional(),
    }),
  ),
  chains: z.array(
    z.strictObject({
      fundingLine: z.enum(FUNDING_LINES).optional(),
      investor: z.enum(INVESTOR_KINDS).optional(),
      levels: z.array(name),
    }),
  ),
  fallback: z.array(name).optional(),
  thresholds: z.array(
    z.strictObject({
      minAmountVnd: z.int('must be a whole number of VND').positive().max(MAX_AMOUNT_VND),
      addLevel: name,
      after: name,
    }),
  ),
});

/** A zod error as one line: each issue's path and message. */
export const problemsOf = (error: z.ZodError) =>
  error.issues
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(the document)'}: ${i.message}`)
    .join('; ');

/**
 * Parses the policy files (file name → parsed JSON) at load and checks them together; any problem stops
 * the deployment with a message naming the file, the field and what to fix.
 */
export const loadApprovalPolicies = (
  files: Readonly<Record<string, unknown>>,
  defaultJurisdiction: string,
  tiersOf?: TiersOf,
): ApprovalPolicies => {
  const policies = Object.entries(files).map(([file, json]) => {
    const parsed = PolicyDocument.safeParse(json);
    if (!parsed.success) throw new Error(`approval policy file ${file}: ${problemsOf(parsed.error)}`);
    try {
      return validatePolicy(parsed.data, tiersOf);
    } catch (error) {
      throw new Error(`approval policy file ${file}: ${(error as Error).message}`);
    }
  });
  return validatePolicies({ defaultJurisdiction, policies }, tiersOf);
};
