import type { SupportRule } from '../../../payees/domain/support-rule.ts';
import { loadSupportRules } from './load.ts';
import supportRulesFile from './support-rules.json' with { type: 'json' };

/**
 * Limits on support per payee (edit support-rules.json), checked at load. The default: a household
 * receives housing support (a request declaring `houses`, or drawing on component DA5) once, across years.
 */
export const supportRules: readonly SupportRule[] = loadSupportRules('support-rules.json', supportRulesFile);
