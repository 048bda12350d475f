import { describe, expect, it } from 'vitest';
import { openFiscalYears } from '../../shared/monitoring/app/run-monitor.ts';
import curvesJson from '../../shared/monitoring/config/curves.json' with { type: 'json' };
import monitoringJson from '../../shared/monitoring/config/monitoring.json' with { type: 'json' };
import { loadMonitoringConfig, monitoringConfig } from '../../shared/monitoring/config/monitoring.ts';
import {
  type CurveConfig,
  curveKindOf,
  curvesFor,
  expectedPercent,
  expectedPercentByFiscalDay,
  type Milestone,
  validateCurve,
} from '../../shared/monitoring/domain/expected-curve.ts';
import { policyFor } from '../../shared/monitoring/domain/monitoring-policy.ts';
import { addDays } from '../../shared/platform/vn-calendar.ts';

const curve = monitoringConfig.curves.defaults.investment;

describe('the expected-disbursement curve', () => {
  it.each([
    ['2024-03-31', 15],
    ['2024-06-30', 35],
    ['2024-09-30', 60],
    ['2024-12-31', 95],
    ['2025-01-31', 100],
  ])('expects exactly the milestone on its day (%s: %d%%)', (asOf, percent) => {
    expect(expectedPercent(curve, 2024, asOf)).toBe(percent);
  });

  it('expects nothing on 1 January of the fiscal year, nor before it', () => {
    expect(expectedPercent(curve, 2024, '2024-01-01')).toBe(0);
    expect(expectedPercent(curve, 2024, '2023-12-15')).toBe(0);
  });

  it('interpolates linearly by days between two milestones', () => {
    // 31/3 (15%) to 30/6 (35%) is 91 days; 15 May is 45 days in.
    const result = expectedPercent(curve, 2023, '2023-05-15');

    expect(result).toBeCloseTo(15 + (20 * 45) / 91, 10);
  });

  it('crosses the year boundary from 31/12 to 31/1 of the next year, when the plan may still be disbursed', () => {
    expect(expectedPercent(curve, 2024, '2025-01-01')).toBeCloseTo(95 + 5 / 31, 10);
    expect(expectedPercent(curve, 2024, '2025-01-16')).toBeCloseTo(95 + (5 * 16) / 31, 10);
    expect(expectedPercent(curve, 2024, '2025-02-15')).toBe(100);
  });

  it('counts 29 February in a leap year, so 1 March is further along in 2023 than in 2024', () => {
    // 1/1 to 31/3 is 90 days in 2024 and 89 in 2023; 1 March is day 60 and day 59 of them.
    const leap = expectedPercent(curve, 2024, '2024-03-01');
    const common = expectedPercent(curve, 2023, '2023-03-01');

    expect(leap).toBeCloseTo((15 * 60) / 90, 10);
    expect(common).toBeCloseTo((15 * 59) / 89, 10);
    expect(expectedPercent(curve, 2024, '2024-02-29')).toBeCloseTo((15 * 59) / 90, 10);
  });

  it.each([2024, 2025])(
    'expects by day of the fiscal year what it expects at the date, every day from before 1 January to past the last milestone (%i)',
    (fiscalYear) => {
      const byDay = expectedPercentByFiscalDay(curve, fiscalYear);
      const seen = new Set<number>();
      for (let day = -3; day <= 400; day++) {
        const date = addDays(`${fiscalYear}-01-01`, day);
        expect(byDay(day), date).toBe(expectedPercent(curve, fiscalYear, date));
        seen.add(byDay(day));
      }
      // Not a flat line: the days went through every segment of the curve.
      expect(seen.size).toBeGreaterThan(300);
    },
  );

  it('accepts a 29 February milestone in a leap year and refuses it in another year', () => {
    const withLeapDay: Milestone[] = [{ on: '02-29', percent: 10 }, ...curve];

    expect(() => validateCurve(withLeapDay, 2024)).not.toThrow();
    expect(() => validateCurve(withLeapDay, 2023)).toThrow(/not a real MM-DD date in 2023/);
  });

  it('refuses milestones out of order or expecting less than the one before', () => {
    expect(() =>
      validateCurve(
        [
          { on: '06-30', percent: 35 },
          { on: '03-31', percent: 50 },
        ],
        2024,
      ),
    ).toThrow(/not after the one before/);
    expect(() =>
      validateCurve(
        [
          { on: '03-31', percent: 40 },
          { on: '06-30', percent: 35 },
        ],
        2024,
      ),
    ).toThrow(/between 40% .* and 100%/);
  });
});

describe('choosing the curve of an allocation', () => {
  const flat = (percent: number): Milestone[] => [{ on: '12-31', percent }];
  const config: CurveConfig = {
    defaults: { investment: flat(95), recurrent: flat(90), carriedOver: flat(100) },
    jurisdictions: { 'tay-giang': { '2025': { recurrent: flat(80) } } },
  };

  it('judges carried-over capital against the carried-over curve, whatever its capital type', () => {
    expect(curveKindOf({ capitalType: 'investment' })).toBe('investment');
    expect(curveKindOf({ capitalType: 'recurrent' })).toBe('recurrent');
    expect(curveKindOf({ capitalType: 'recurrent', carriedOver: true })).toBe('carriedOver');
  });

  it('takes a jurisdiction’s own curve for its year and kind, and the defaults for every other kind, year and jurisdiction', () => {
    expect(curvesFor(config, 'tay-giang', 2025)).toEqual({
      investment: flat(95),
      recurrent: flat(80),
      carriedOver: flat(100),
    });
    expect(curvesFor(config, 'tay-giang', 2024).recurrent).toEqual(flat(90));
    expect(curvesFor(config, 'da-nang', 2025).recurrent).toEqual(flat(90));
    // Not a jurisdiction's own key, whatever the object's prototype holds.
    expect(curvesFor(config, 'constructor', 2025)).toEqual(config.defaults);
  });

  it('puts the configured curves in the policy of each jurisdiction and year', () => {
    const own = policyFor(monitoringConfig, 2025, 'tay-giang');
    const other = policyFor(monitoringConfig, 2025, 'da-nang');

    expect(expectedPercent(own.curves.investment, 2025, '2025-09-30')).toBe(70);
    expect(expectedPercent(other.curves.investment, 2025, '2025-09-30')).toBe(60);
    expect(expectedPercent(own.curves.recurrent, 2024, '2024-09-30')).toBe(60);
    expect(expectedPercent(own.curves.carriedOver, 2025, '2025-12-31')).toBe(100);
    expect(own.lagPoints).toEqual(monitoringConfig.defaults.lagPoints);
  });

  it('keeps a year open until the last milestone of any of its curves', () => {
    const files = {
      monitoring: monitoringJson,
      curves: {
        ...curvesJson,
        jurisdictions: {
          'da-nang': {
            '2024': {
              recurrent: [
                ...curvesJson.defaults.recurrent.slice(0, 4),
                { on: '02-28', nextYear: true, percent: 100 },
              ],
            },
          },
        },
      },
    };
    const config = loadMonitoringConfig(files, ['tay-giang', 'da-nang']);

    expect(openFiscalYears(config, '2025-02-15', 'da-nang')).toEqual([2024, 2025]);
    expect(openFiscalYears(config, '2025-02-15', 'tay-giang')).toEqual([2025]);
  });
});

describe('loading the monitoring configuration', () => {
  const load = (curves: unknown, monitoring: unknown = monitoringJson) =>
    loadMonitoringConfig({ monitoring, curves }, ['tay-giang', 'da-nang']);
  const withOwn = (jurisdiction: string, year: string, set: Record<string, unknown>) => ({
    ...curvesJson,
    jurisdictions: { [jurisdiction]: { [year]: set } },
  });

  it('loads the shipped files', () => {
    expect(load(curvesJson).curves.defaults.recurrent.length).toBeGreaterThan(0);
  });

  it('checks a jurisdiction’s own curve in its year, naming the file, the path and what is wrong', () => {
    const leapDay = [{ on: '02-29', percent: 20 }, ...curve.slice(1)];

    expect(() => load(withOwn('tay-giang', '2024', { investment: leapDay }))).not.toThrow();
    expect(() => load(withOwn('tay-giang', '2025', { investment: leapDay }))).toThrow(
      /^curves\.json: jurisdictions\.tay-giang\.2025\.investment: milestone "02-29" is not a real MM-DD date in 2025/,
    );
  });

  it('refuses a curve whose milestones go back in time or expect less than the one before', () => {
    const backwards = [
      { on: '06-30', percent: 35 },
      { on: '03-31', percent: 50 },
    ];
    const falling = [
      { on: '03-31', percent: 40 },
      { on: '06-30', percent: 35 },
    ];

    expect(() => load({ ...curvesJson, defaults: { ...curvesJson.defaults, recurrent: backwards } })).toThrow(
      /defaults\.recurrent: milestone 2023-03-31 is not after the one before/,
    );
    expect(() => load(withOwn('da-nang', '2026', { carriedOver: falling }))).toThrow(
      /da-nang\.2026\.carriedOver: milestone 2026-06-30 must expect between 40%/,
    );
  });

  it('refuses a carried-over curve reaching into the next year, past the legal limit of 31 December', () => {
    expect(() =>
      load(withOwn('tay-giang', '2025', { carriedOver: [{ on: '01-31', nextYear: true, percent: 100 }] })),
    ).toThrow(/carriedOver: carried-over capital must be disbursed by 31 December/);
  });

  it('refuses a missing default, an unknown kind, an unknown jurisdiction and a year that is not one', () => {
    const { carriedOver: _, ...noCarried } = curvesJson.defaults;

    expect(() => load({ ...curvesJson, defaults: noCarried })).toThrow(/defaults\.carriedOver/);
    expect(() => load(withOwn('tay-giang', '2025', { housing: curve }))).toThrow(/housing/);
    expect(() => load(withOwn('ha-noi', '2025', { recurrent: curve }))).toThrow(
      /ha-noi: must be a jurisdiction of the deployment: tay-giang, da-nang/,
    );
    expect(() => load(withOwn('tay-giang', '25', { recurrent: curve }))).toThrow(
      /must be a year written YYYY/,
    );
    expect(() => load({ ...curvesJson, defaults: { ...curvesJson.defaults, investment: [] } })).toThrow(
      /defaults\.investment: must list at least one milestone/,
    );
  });

  it('refuses a critical lag threshold below the warning one, and a curve left in monitoring.json', () => {
    const lagPoints = { warning: 25, critical: 10 };

    expect(() =>
      load(curvesJson, { ...monitoringJson, defaults: { ...monitoringJson.defaults, lagPoints } }),
    ).toThrow(/^monitoring\.json: defaults\.lagPoints: critical must be at least warning/);
    expect(() =>
      load(curvesJson, { ...monitoringJson, defaults: { ...monitoringJson.defaults, curve } }),
    ).toThrow(/monitoring\.json: defaults: .*curve/);
  });
});
