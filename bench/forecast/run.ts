/**
 * `npm run -s backtest`: the forecast's backtest (docs/forecast.md). Forecasts generated years of four
 * shapes from 30/06 and 30/09 with only what is dated up to then, against their actual rate at 31/12
 * and at the deadline, without and with two past years' shapes; then the Tây Giang demo, from 30/06
 * against its actual rate at 30/09 (the last day its history covers). Prints tables; asserts nothing
 * (test/unit/forecast-backtest.test.ts bounds the figures). Options: `--seed N`, `--per-shape N`.
 */
import { monitoringConfig } from '../../shared/monitoring/config/monitoring.ts';
import { type BacktestRow, runBacktest } from './backtest.ts';
import { demoCases } from './demo-cases.ts';
import { BACKTEST_PER_SHAPE, BACKTEST_SEED, generatedCases } from './synthetic-years.ts';

const option = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  return Number.isFinite(value) ? value : fallback;
};

const table = (title: string, rows: readonly BacktestRow[]) => {
  process.stdout.write(`\n${title}\n`);
  const head = ['asOf', 'horizon', 'group', 'scopes', 'MAE pts', 'bias pts', 'p10–p90 coverage', 'width pts'];
  const lines = rows.map((r) => [
    r.asOf,
    r.horizon,
    r.group,
    String(r.scopes),
    r.maePoints.toFixed(2),
    r.biasPoints.toFixed(2),
    `${Math.round(r.coverage * 100)}%`,
    r.widthPoints.toFixed(1),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  for (const l of [head, ...lines])
    process.stdout.write(`${l.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ')}\n`);
};

const seed = option('seed', BACKTEST_SEED);
const perShape = option('per-shape', BACKTEST_PER_SHAPE);
const curve = monitoringConfig.curves.defaults.investment;
for (const pastYearCount of [0, 2]) {
  const cases = generatedCases({ seed, perShape, pastYearCount, curve });
  table(
    `Generated years (seed ${seed}, ${perShape} per shape), ${pastYearCount === 0 ? 'curve only' : `with ${pastYearCount} past years`}`,
    runBacktest(cases, ['06-30', '09-30']),
  );
}
table(
  'Tây Giang 2024 demo history, allocations: from 30/06 against the actual rate at 30/09',
  runBacktest(demoCases(), ['06-30'], [{ label: '30/09', on: (c) => `${c.fiscalYear}-09-30` }]),
);
