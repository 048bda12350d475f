import { describe, expect, it } from 'vitest';
import {
  type BacktestCase,
  forecastCaseAt,
  type HistoryPayment,
  runBacktest,
} from '../../bench/forecast/backtest.ts';
import { demoCases } from '../../bench/forecast/demo-cases.ts';
import { BACKTEST_SEED, generatedCases, generateScopes } from '../../bench/forecast/synthetic-years.ts';
import { monitoringConfig } from '../../shared/monitoring/config/monitoring.ts';
import { addDays } from '../../shared/platform/vn-calendar.ts';

const curve = monitoringConfig.curves.defaults.investment;
const cases = (pastYearCount: number) =>
  generatedCases({ seed: BACKTEST_SEED, perShape: 50, pastYearCount, curve });
const runs = new Map<number, ReturnType<typeof runBacktest>>();
/** The backtest of the generated years from 30/06 and 30/09, run once per number of past years. */
const backtest = (pastYears: number) => {
  const rows = runs.get(pastYears) ?? runBacktest(cases(pastYears), ['06-30', '09-30']);
  runs.set(pastYears, rows);
  return rows;
};
const all = (rows: ReturnType<typeof runBacktest>, asOf: string, horizon: string) =>
  rows.find((r) => r.group === 'all' && r.asOf === asOf && r.horizon === horizon);

describe('the forecast backtest', () => {
  it('generates the same years for the same seed, and other years for another', () => {
    const a = generateScopes({ seed: 1, perShape: 3, fiscalYear: 2023, curve, pastYearCount: 1 });
    const b = generateScopes({ seed: 1, perShape: 3, fiscalYear: 2023, curve, pastYearCount: 1 });
    const c = generateScopes({ seed: 2, perShape: 3, fiscalYear: 2023, curve, pastYearCount: 1 });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(new Set(a.map((s) => s.shape))).toEqual(
      new Set(['on-curve', 'front-loaded', 'late-starter', 'stalled']),
    );
  });

  // Measured on this seed and size (50 per shape): MAE + 1 point, coverage − 0.05. A change of method
  // or parameters that makes the forecast worse fails here (docs/forecast.md has the 200-per-shape run).
  it.each([
    // pastYears, asOf, horizon, measured MAE (points), measured coverage
    [0, '06-30', '31/12', 19.15, 0.75],
    [0, '06-30', 'deadline', 21.7, 0.71],
    [0, '09-30', '31/12', 8.02, 0.88],
    [0, '09-30', 'deadline', 10.64, 0.87],
    [2, '06-30', '31/12', 13.1, 0.89],
    [2, '06-30', 'deadline', 15.15, 0.87],
    [2, '09-30', '31/12', 7.45, 0.82],
    [2, '09-30', 'deadline', 10.01, 0.81],
  ] as const)(
    'keeps the error of generated years (%i past years) from %s at %s near its measured %s points',
    (pastYears, asOf, horizon, mae, coverage) => {
      const row = all(backtest(pastYears), asOf, horizon);
      expect(row?.scopes).toBe(200);
      expect(row?.maePoints).toBeLessThan(mae + 1);
      expect(row?.coverage).toBeGreaterThanOrEqual(coverage - 0.05);
    },
  );

  it('keeps the error on the demo history, from 30/06 against 30/09, under its measured bound', () => {
    const [row] = runBacktest(
      demoCases(),
      ['06-30'],
      [{ label: '30/09', on: (c) => `${c.fiscalYear}-09-30` }],
    );
    expect(row?.scopes).toBeGreaterThan(50);
    expect(row?.maePoints).toBeLessThan(26); // measured 25.20
    expect(row?.coverage).toBeGreaterThanOrEqual(0.44); // measured 0.49
  });

  it('leaks no future: changing, adding or removing anything dated after asOf leaves the forecast unchanged', () => {
    const asOf = '2023-06-30';
    const scrambled = (c: BacktestCase): BacktestCase => ({
      ...c,
      payments: [
        // Every payment submitted after asOf doubles; one paid after asOf moves later, none is dropped
        // before asOf; a payment pending at asOf is decided later (it stays in the pipeline).
        ...c.payments.map(
          (p): HistoryPayment =>
            p.submittedOn > asOf
              ? { ...p, amountVnd: p.amountVnd * 2 }
              : p.postedOn && p.postedOn > asOf
                ? { ...p, postedOn: addDays(p.postedOn, 20) }
                : p,
        ),
        { submittedOn: '2023-07-01', postedOn: '2023-07-02', amountVnd: 123_000_000 },
        { submittedOn: '2023-11-01', postedOn: '2023-12-20', amountVnd: 9_000_000_000 },
        // Requested after asOf and never decided: pending later, not at asOf.
        { submittedOn: '2023-07-15', amountVnd: c.assignedVnd },
      ],
    });
    const sample = cases(2).filter((_, i) => i % 10 === 0);
    let changedActual = 0;
    for (const c of sample) {
      for (const on of ['2023-12-31', c.deadline]) {
        expect(forecastCaseAt(scrambled(c), asOf, on)).toEqual(forecastCaseAt(c, asOf, on));
        if (JSON.stringify(scrambled(c).payments) !== JSON.stringify(c.payments)) changedActual += 1;
      }
    }
    expect(changedActual).toBeGreaterThan(0);
  });
});
