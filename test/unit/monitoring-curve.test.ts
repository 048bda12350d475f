import { describe, expect, it } from 'vitest';
import { monitoringConfig } from '../../shared/monitoring/config/monitoring.ts';
import {
  expectedPercent,
  type Milestone,
  validateCurve,
} from '../../shared/monitoring/domain/expected-curve.ts';
import {
  type MonitoringConfig,
  validateMonitoringConfig,
} from '../../shared/monitoring/domain/monitoring-policy.ts';

const curve = monitoringConfig.defaults.curve;

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

describe('the monitoring configuration', () => {
  const base = monitoringConfig;

  it('applies a fiscal year override over the defaults and validates it against that year', () => {
    const config: MonitoringConfig = {
      ...base,
      fiscalYears: { '2024': { curve: [{ on: '02-29', percent: 20 }, ...curve.slice(1)] } },
    };

    expect(() => validateMonitoringConfig(config)).not.toThrow();
    expect(() =>
      validateMonitoringConfig({ ...config, fiscalYears: { '2025': config.fiscalYears['2024'] ?? {} } }),
    ).toThrow(/in 2025/);
  });

  it('refuses a critical lag threshold below the warning one', () => {
    const config = { ...base, defaults: { ...base.defaults, lagPoints: { warning: 25, critical: 10 } } };

    expect(() => validateMonitoringConfig(config)).toThrow(/lagPoints/);
  });
});
