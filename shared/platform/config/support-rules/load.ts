import * as z from 'zod';
import { PAYEE_KINDS } from '../../../ledger/domain/funding-line.ts';
import type { SupportRule } from '../../../payees/domain/support-rule.ts';
import { code } from '../../http/schemas.ts';
import { problemsOf } from '../approval-policies/load.ts';

/** The shape of the support rules file: each rule limits one kind of support to once per payee. */
const RulesDocument = z.strictObject({
  rules: z
    .array(
      z
        .strictObject({
          id: z
            .string()
            .regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be a lower-case id of letters, digits and dashes'),
          label: z.strictObject({ vi: z.string().min(1).max(200), en: z.string().min(1).max(200) }),
          payeeKinds: z.array(z.enum(PAYEE_KINDS)).min(1, 'must name at least one payee kind'),
          outputKeys: z.array(code),
          components: z.array(code),
        })
        .refine(
          (r) => r.outputKeys.length + r.components.length > 0,
          'must name at least one output key or component, or the rule would match nothing',
        ),
    )
    .refine((rules) => new Set(rules.map((r) => r.id)).size === rules.length, 'rule ids must be unique'),
});

/**
 * Parses the support rules at load; a broken file stops the deployment with a message naming the file,
 * the field and what to fix.
 */
export const loadSupportRules = (file: string, json: unknown): SupportRule[] => {
  const parsed = RulesDocument.safeParse(json);
  if (!parsed.success) throw new Error(`support rules file ${file}: ${problemsOf(parsed.error)}`);
  return parsed.data.rules;
};
