import * as z from 'zod';
import { JURISDICTIONS } from '../../jurisdictions/config/index.ts';
import { parseConfigFile } from '../../platform/config/config-file.ts';
import type { IntegrityConfig } from '../domain/integrity/integrity-policy.ts';
import integrityJson from './integrity.json' with { type: 'json' };

const severity = z.enum(['warning', 'critical'], 'must be "warning" or "critical"');
const days = z
  .int('must be a whole number of days')
  .min(1, 'must be at least 1')
  .max(366, 'must be at most 366');

const rules = {
  splitting: z.strictObject({
    enabled: z.boolean(),
    severity,
    windowDays: days,
    minParts: z.int('must be a whole number').min(2, 'must be at least 2: one request alone is not split'),
  }),
  sharedAccount: z.strictObject({ enabled: z.boolean(), severity }),
  doubleSupport: z.strictObject({ enabled: z.boolean(), severity }),
  deadlineBunching: z.strictObject({
    enabled: z.boolean(),
    severity,
    windowDays: days,
    minSharePercent: z
      .number('must be a number of percent')
      .gt(0, 'must be above 0')
      .max(100, 'must be at most 100'),
    minWindowVnd: z.int('must be a whole number of đồng').min(0, 'must be at least 0'),
    minPayments: z.int('must be a whole number').min(1, 'must be at least 1'),
  }),
};

const partialRules = z.strictObject({
  splitting: rules.splitting.partial().optional(),
  sharedAccount: rules.sharedAccount.partial().optional(),
  doubleSupport: rules.doubleSupport.partial().optional(),
  deadlineBunching: rules.deadlineBunching.partial().optional(),
});

/** integrity.json: the defaults, and per jurisdiction of the deployment the fields it changes. */
const integrityDocument = (jurisdictions: readonly string[]) =>
  z.strictObject({
    source: z.string().min(1, 'must say where the figures come from'),
    defaults: z.strictObject(rules),
    jurisdictions: z.record(z.string(), partialRules).superRefine((byJurisdiction, ctx) => {
      for (const j of Object.keys(byJurisdiction)) {
        if (jurisdictions.includes(j)) continue;
        ctx.addIssue({
          code: 'custom',
          path: [j],
          message: `must be a jurisdiction of the deployment: ${jurisdictions.join(', ')}`,
        });
      }
    }),
  });

/** Parses the integrity rules' settings, or throws naming the file, the field and what to fix. */
export const loadIntegrityConfig = (json: unknown, jurisdictions: readonly string[]): IntegrityConfig => {
  const { source: _, ...config } = parseConfigFile(integrityDocument(jurisdictions), json, 'integrity.json');
  return config as IntegrityConfig;
};

/** The integrity rules' settings (edit integrity.json), checked at load. */
export const integrityConfig: IntegrityConfig = loadIntegrityConfig(
  integrityJson,
  JURISDICTIONS.map((j) => j.id),
);
