import * as z from 'zod';
import { CONTRACT_KINDS, type ContractPolicy } from '../../../ledger/domain/contract.ts';
import { MAX_AMOUNT_VND } from '../../money.ts';
import policyFile from './contract-policy.json' with { type: 'json' };

const percent = z
  .number('must be a number of percent')
  .min(0, 'must be at least 0')
  .max(100, 'must be at most 100')
  .refine((p) => Number.isInteger(p * 100), 'must have at most two decimals');

const bands = z
  .array(
    z.strictObject({
      upToValueVnd: z.int('must be a whole number of VND').positive().max(MAX_AMOUNT_VND).optional(),
      maxPercent: percent,
    }),
  )
  .min(1, 'must list at least one band')
  .refine(
    (b) => b.at(-1)?.upToValueVnd === undefined,
    'the last band must have no upToValueVnd (it covers every larger value)',
  )
  .refine(
    (b) =>
      b.every(
        (x, i) =>
          i === 0 || x.upToValueVnd === undefined || (b[i - 1]?.upToValueVnd ?? Infinity) < x.upToValueVnd,
      ),
    'bands must ascend by upToValueVnd',
  );

/** The shape of the contract policy file; a broken file stops the deployment at load, naming the field. */
const PolicyDocument = z.strictObject({
  source: z.string().min(1, 'must cite the rule the figures come from'),
  advanceLimits: z.strictObject(
    Object.fromEntries(CONTRACT_KINDS.map((k) => [k, bands])) as Record<
      (typeof CONTRACT_KINDS)[number],
      typeof bands
    >,
  ),
  recoveryCompleteAtPercent: percent.refine((p) => p > 0, 'must be greater than 0'),
  advanceGuaranteeRequiredByDefault: z.boolean(),
});

/** Parses a contract policy document, or throws naming the file, the field and what to fix. */
export const loadContractPolicy = (json: unknown, file = 'contract-policy.json'): ContractPolicy => {
  const parsed = PolicyDocument.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(the document)'}: ${i.message}`)
      .join('; ');
    throw new Error(`contract policy file ${file}: ${problems}`);
  }
  const { source: _, ...policy } = parsed.data;
  return policy as ContractPolicy;
};

/** Advance limits and the recovery rule (edit contract-policy.json of this folder), checked at load. */
export const contractPolicy: ContractPolicy = loadContractPolicy(policyFile);
