import { integrityConfig } from '../shared/monitoring/config/integrity.ts';
import { integrityPolicyFor } from '../shared/monitoring/domain/integrity/integrity-policy.ts';
import { measure, type RuleFigures } from './integrity/measure.ts';

/**
 * `npm run -s integrity-eval [years]`: detection of planted cases and false alarms on clean generated
 * years, per integrity rule, with the settings of shared/monitoring/config/integrity.json and with
 * looser ones (docs/integrity.md).
 */
const years = Number(process.argv[2] ?? 20);
const settings = integrityPolicyFor(integrityConfig, 'tay-giang');
const pad = (v: string | number, n: number) => String(v).padStart(n);

const table = (title: string, figures: RuleFigures[]) => {
  const lines = [
    '',
    title,
    `${'Rule'.padEnd(18)}${pad('Found', 10)}${pad('Detection', 11)}${pad('False alarms', 14)}${pad('per year', 10)}${pad('per 1,000 judged', 22)}`,
    ...figures.map(
      (f) =>
        `${f.rule.padEnd(18)}${pad(`${f.found}/${f.planted}`, 10)}${pad(`${((f.found / Math.max(1, f.planted)) * 100).toFixed(1)}%`, 11)}${pad(f.falseAlarms, 14)}${pad(f.falseAlarmsPerYear, 10)}${pad(`${f.falseAlarmsPerThousand} of ${f.unitsJudged}`, 22)}`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
};

process.stdout.write(
  `Integrity rules on ${years} generated jurisdiction-years (seeds 1–${years}), tay-giang\n`,
);
table('Settings of integrity.json', measure(years));
// Sensitivity: a splitting window as long as the gap between a contract's monthly stages, and a
// bunching share of 30%: the near misses of clean years start to fire.
table(
  'Looser settings (splitting window 30 days, bunching share 30%)',
  measure(years, {
    ...settings,
    splitting: { ...settings.splitting, windowDays: 30 },
    deadlineBunching: { ...settings.deadlineBunching, minSharePercent: 30 },
  }),
);
