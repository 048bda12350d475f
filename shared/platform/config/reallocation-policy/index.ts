import * as z from 'zod';
import {
  MAX_MOVES_PER_TRANSACTION,
  type ReallocationPolicy,
  type ReallocationRules,
} from '../../../ledger/domain/reallocation.ts';
import { parseConfigFile } from '../config-file.ts';
import policyFile from './reallocation-policy.json' with { type: 'json' };

const rules = z.strictObject({
  approval: z
    .enum(
      ['none', 'province'],
      'must be "none" (applies at once) or "province" (waits for a province approver)',
    )
    .optional(),
  maxMoves: z
    .int('must be a whole number of moves')
    .min(1, 'must be at least 1')
    .max(
      MAX_MOVES_PER_TRANSACTION,
      `must be at most ${MAX_MOVES_PER_TRANSACTION}: every move of a reallocation is written in one DynamoDB transaction of at most 100 items`,
    )
    .optional(),
  sameFundingLine: z.boolean().optional(),
  sameCapitalType: z.boolean().optional(),
});

/** The shape of the reallocation policy file; a broken file stops the deployment at load, naming the field. */
const PolicyDocument = z.strictObject({
  source: z.string().min(1, 'must cite the rule the settings come from'),
  default: rules.required(),
  jurisdictions: z.record(z.string().regex(/^[a-z0-9-]+$/, 'must be a jurisdiction id'), rules),
});

/** Parses a reallocation policy document, or throws naming the file, the field and what to fix. */
export const loadReallocationPolicy = (
  json: unknown,
  file = 'reallocation-policy.json',
): ReallocationPolicy => {
  const { default: fallback, jurisdictions } = parseConfigFile(
    PolicyDocument,
    json,
    `reallocation policy file ${file}`,
  );
  return {
    rulesFor: (jurisdiction: string): ReallocationRules => ({
      ...fallback,
      ...(jurisdictions[jurisdiction] ?? {}),
    }),
  };
};

/** The rules of reallocations per jurisdiction (edit reallocation-policy.json of this folder), checked at load. */
export const reallocationPolicy: ReallocationPolicy = loadReallocationPolicy(policyFile);
