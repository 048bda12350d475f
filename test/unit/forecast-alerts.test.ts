import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forecastScope } from '../../shared/forecast/domain/forecast.ts';
import { forecastReadDates, seriesFromTotals } from '../../shared/forecast/domain/series-from-totals.ts';
import { emailContextFromConfig } from '../../shared/monitoring/adapters/from-env.ts';
import { monitoringConfig } from '../../shared/monitoring/config/monitoring.ts';
import { alertId, toAlert } from '../../shared/monitoring/domain/alert.ts';
import {
  type AllocationDayAmount,
  beyondCriticalLag,
  detectForecastMisses,
  forecastScopes,
} from '../../shared/monitoring/domain/forecast-detector.ts';
import type { ForecastMissSettings } from '../../shared/monitoring/domain/monitoring-policy.ts';
import { renderAlertEmail } from '../../shared/monitoring/presentation/alert-email.ts';
import { addDays } from '../../shared/platform/vn-calendar.ts';
import { anAllocation } from './support/domain-fixtures.ts';

const curves = monitoringConfig.curves.defaults;
const B = 1_000_000_000;
const DEADLINE = '2025-01-31';
const p50: ForecastMissSettings = { percentile: 'p50', marginPoints: 10, severity: 'warning' };
const p90: ForecastMissSettings = { ...p50, percentile: 'p90' };

/** One allocation of 10 billion with `disbursed` now, posted on the given days. */
const scopeRows = (asOf: string, postings: { date: string; amountVnd: number }[], reservedVnd = 0) => {
  const disbursedVnd = postings.reduce((s, p) => s + p.amountVnd, 0);
  const allocation = anAllocation({
    id: 'a',
    assignedVnd: 10 * B,
    disbursedVnd,
    reservedVnd,
    availableVnd: 10 * B - disbursedVnd - reservedVnd,
  });
  return forecastScopes({
    allocations: [allocation],
    postings: postings.map((p): AllocationDayAmount => ({ allocationId: 'a', ...p })),
    curves,
    fiscalYear: 2024,
    asOf,
    deadlineOf: () => DEADLINE,
    levels: ['allocation'],
  });
};

describe('the forecast read from running totals and the recent window', () => {
  it('gives the forecast the whole series gives, whatever the postings and the day', () => {
    const day = fc.integer({ min: 0, max: 395 }).map((d) => addDays('2024-01-01', d));
    fc.assert(
      fc.property(
        fc.array(fc.record({ date: day, amountVnd: fc.integer({ min: 1, max: 400_000_000 }) }), {
          maxLength: 25,
        }),
        day,
        fc.integer({ min: 0, max: 2 * B }),
        (postings, asOf, pipelineVnd) => {
          const known = postings.filter((p) => p.date <= asOf).sort((a, b) => a.date.localeCompare(b.date));
          const full = known.map((p, i) => ({
            date: p.date,
            cumulativeVnd: known.slice(0, i + 1).reduce((s, q) => s + q.amountVnd, 0),
          }));
          // Totals are today's: postings after asOf are in them, and in what the window reads.
          const now = postings.reduce((s, p) => s + p.amountVnd, 0);
          const dates = forecastReadDates(2024, asOf, DEADLINE);
          const since = postings.filter((p) => p.date > (dates[0] ?? asOf));
          const base = {
            fiscalYear: 2024,
            asOf,
            assignedVnd: 10 * B,
            pipelineVnd,
            curve: curves.investment,
            deadline: DEADLINE,
          };
          expect(forecastScope({ ...base, series: seriesFromTotals(now, since, dates) })).toEqual(
            forecastScope({ ...base, series: full }),
          );
        },
      ),
      { seed: 17, numRuns: 300 },
    );
  });
});

describe('forecast findings', () => {
  it('finds a late starter (nothing disbursed on 1 October) forecast far below 100% at its deadline', () => {
    const [finding] = detectForecastMisses(scopeRows('2024-10-01', []), p50, 2024, '2024-10-01');

    expect(finding).toMatchObject({
      kind: 'forecast',
      severity: 'warning',
      day: '2024-10-01',
      scope: { level: 'allocation', allocationId: 'a' },
      forecast: {
        assignedVnd: 10 * B,
        disbursedVnd: 0,
        ratePercent: 0,
        deadline: DEADLINE,
        targetPercent: 100,
        marginPoints: 10,
        percentile: 'p50',
      },
    });
    const f = finding?.forecast;
    expect(f && f.p10Percent <= f.p50Percent && f.p50Percent <= f.p90Percent).toBe(true);
    expect(f?.p90Percent).toBeLessThan(90);
    expect(f?.shortfallPoints).toBe(Math.round((100 - (f?.p50Percent ?? 0)) * 100) / 100);
  });

  it('leaves out a scope whose lag is critical the same day, and keeps one whose lag is a warning', () => {
    const forecasts = detectForecastMisses(scopeRows('2024-10-01', []), p50, 2024, '2024-10-01');
    const [forecast] = forecasts;
    if (!forecast) throw new Error('arrange: a late starter is forecast to miss');
    const lag = (severity: 'warning' | 'critical', scope = forecast.scope) => ({
      ...forecast,
      kind: 'lag' as const,
      severity,
      forecast: undefined,
      scope,
    });

    expect(beyondCriticalLag(forecasts, [lag('critical')])).toEqual([]);
    expect(beyondCriticalLag(forecasts, [lag('warning')])).toEqual(forecasts);
    expect(
      beyondCriticalLag(forecasts, [lag('critical', { ...forecast.scope, commune: 'elsewhere' })]),
    ).toEqual(forecasts);
  });

  it('finds nothing for a scope on the curve (60% by 30 September, paid steadily)', () => {
    const steady = ['2024-03-31', '2024-06-30', '2024-08-15', '2024-09-30'].map((date, i) => ({
      date,
      amountVnd: [1.5, 2, 1.25, 1.25][i] ?? 0,
    }));
    const rows = scopeRows(
      '2024-09-30',
      steady.map((p) => ({ ...p, amountVnd: p.amountVnd * B })),
    );

    expect(rows[0]?.forecast.rate).toBe(0.6);
    expect(detectForecastMisses(rows, p50, 2024, '2024-09-30')).toEqual([]);
  });

  it('judges p50 by default, which warns from 30 June where p90 would wait (20% paid, 35% expected)', () => {
    const rows = scopeRows('2024-06-30', [
      { date: '2024-03-15', amountVnd: B },
      { date: '2024-05-15', amountVnd: B },
    ]);

    expect(detectForecastMisses(rows, p50, 2024, '2024-06-30')).toHaveLength(1);
    expect(detectForecastMisses(rows, p90, 2024, '2024-06-30')).toEqual([]);
    expect(monitoringConfig.defaults.forecastMiss.percentile).toBe('p50');
  });

  it('finds nothing when the shortfall is within the margin, and takes its severity from the settings', () => {
    const rows = scopeRows('2024-10-01', []);
    const shortfall = 100 - (rows[0]?.forecast.deadline?.p50 ?? 0) * 100;

    expect(
      detectForecastMisses(rows, { ...p50, marginPoints: Math.ceil(shortfall) }, 2024, '2024-10-01'),
    ).toEqual([]);
    expect(
      detectForecastMisses(rows, { ...p50, severity: 'critical' }, 2024, '2024-10-01')[0]?.severity,
    ).toBe('critical');
  });

  it('forecasts nothing once the deadline has come, nor for a scope with nothing assigned', () => {
    expect(scopeRows('2025-01-31', [])).toEqual([]);
    const empty = forecastScopes({
      allocations: [anAllocation({ assignedVnd: 0, availableVnd: 0 })],
      postings: [],
      curves,
      fiscalYear: 2024,
      asOf: '2024-10-01',
      deadlineOf: () => DEADLINE,
    });
    expect(empty).toEqual([]);
  });

  it('rolls up at every level, each scope against the deadline most of its capital is due by', () => {
    const rows = forecastScopes({
      allocations: [
        anAllocation({ id: 'x', commune: 'Dang', assignedVnd: 3 * B, availableVnd: 3 * B }),
        anAllocation({ id: 'y', commune: 'Lăng', assignedVnd: B, availableVnd: B }),
      ],
      postings: [],
      curves,
      fiscalYear: 2024,
      asOf: '2024-10-01',
      deadlineOf: (a) => (a.id === 'y' ? '2025-12-31' : DEADLINE),
    });

    expect(rows.find((r) => r.scope.level === 'district')).toMatchObject({
      deadline: DEADLINE,
      allocationIds: ['x', 'y'],
      forecast: { assignedVnd: 4 * B },
    });
    expect(rows.find((r) => r.scope.allocationId === 'y')?.deadline).toBe('2025-12-31');
  });

  it('gives forecast alerts ids of their own, and leaves lag ids as they were', () => {
    const scope = { level: 'district' as const, capitalType: 'investment' as const };
    const base = { fiscalYear: 2024, day: '2024-10-01', severity: 'warning' as const, scope };

    expect(alertId({ ...base, kind: 'lag' })).toBe('2024-10-01-lag-warning-a87a3781ae59a04217f6');
    expect(alertId({ ...base, kind: 'forecast' })).toMatch(/^2024-10-01-forecast-warning-/);
  });
});

describe('a forecast alert', () => {
  it('is e-mailed in Vietnamese with its band, deadline and target', () => {
    const [finding] = detectForecastMisses(scopeRows('2024-10-01', []), p50, 2024, '2024-10-01');
    if (!finding?.forecast) throw new Error('no finding');
    const { p10Percent, p50Percent, p90Percent } = finding.forecast;
    const pct = (x: number) => `${Math.round(x)}%`;

    const mail = renderAlertEmail(
      toAlert(finding, '2024-10-01T02:00:00Z'),
      emailContextFromConfig()('tay-giang', '2024-10-01'),
      {
        dashboard: 'https://d',
        acknowledge: 'https://a',
      },
    );

    const phrase = `dự báo đạt ${pct(p50Percent)} (khoảng ${pct(p10Percent)}–${pct(p90Percent)}) khi hết hạn giải ngân 31/01/2025, yêu cầu 100%`;
    expect(mail.subject).toContain('Dự báo không đạt');
    expect(mail.subject).toContain(phrase);
    expect(mail.text).toContain(phrase);
    expect(mail.text).toContain('English summary: Warning: forecast miss');
    expect(mail.html).toContain('Dự báo khi hết hạn');
  });
});
