import { describe, expect, it } from 'vitest';
import { type ForecastInput, forecastScope, yearEndOf } from '../../shared/forecast/domain/forecast.ts';
import { referenceShape, shapeOfYear, shareAt } from '../../shared/forecast/domain/year-shape.ts';
import { monitoringConfig } from '../../shared/monitoring/config/monitoring.ts';

const curve = monitoringConfig.curves.defaults.investment;
const B = 1_000_000_000;

/** A scope of 2024 with 10 billion assigned and the given cumulative points. */
const input = (over: Partial<ForecastInput> = {}): ForecastInput => ({
  fiscalYear: 2024,
  asOf: '2024-09-30',
  assignedVnd: 10 * B,
  series: [],
  pipelineVnd: 0,
  curve,
  deadline: '2025-01-31',
  ...over,
});

/** Points following the default curve at `factor` of its pace, by the end of each month to `until`. */
const alongCurve = (factor: number, until = '2024-12-31') => {
  const months = [
    '01-31',
    '02-29',
    '03-31',
    '04-30',
    '05-31',
    '06-30',
    '07-31',
    '08-31',
    '09-30',
    '10-31',
    '11-30',
    '12-31',
  ];
  const percent = [5, 10, 15, 21.7, 28.3, 35, 43.3, 51.7, 60, 71.7, 83.3, 95];
  return months
    .map((md, i) => ({ date: `2024-${md}`, cumulativeVnd: Math.round((percent[i] ?? 0) * factor * B * 0.1) }))
    .filter((p) => p.date <= until);
};

describe('the forecast of a scope', () => {
  it('forecasts about the curve’s year-end for a scope exactly on the curve', () => {
    const f = forecastScope(input({ series: alongCurve(1) }));
    expect(f.rate).toBeCloseTo(0.6, 3);
    expect(f.yearEnd?.p50).toBeCloseTo(0.95, 2);
    expect(f.deadline?.p50).toBeCloseTo(1, 2);
    expect(f.inputs?.shapeSource).toBe('curve');
    expect(f.inputs?.pace).toBeCloseTo(1, 1);
  });

  it('forecasts a scope at half the curve’s pace well below the curve, and within its band', () => {
    const f = forecastScope(input({ series: alongCurve(0.5) }));
    const ye = f.yearEnd;
    expect(ye?.p50).toBeLessThan(0.8);
    expect(ye?.p50).toBeGreaterThan(0.3);
    expect(ye?.p10).toBeLessThanOrEqual(ye?.p50 ?? 0);
    expect(ye?.p90).toBeGreaterThanOrEqual(ye?.p50 ?? 1);
  });

  it('forecasts lower for a scope that stopped paying in the recent months than for one paying steadily', () => {
    const steady = alongCurve(0.75);
    const stalled = alongCurve(1, '2024-06-30');
    const atSep = steady.at(-1)?.cumulativeVnd ?? 0;
    const stalledAt = stalled.at(-1)?.cumulativeVnd ?? 0;
    const a = forecastScope(input({ series: steady }));
    // Stalled since June at 35%: same money paid as the steady one by the end of June… then nothing.
    const b = forecastScope(input({ series: stalled }));
    expect(stalledAt).toBeLessThan(atSep);
    expect(b.inputs?.paceRecent).toBe(0);
    expect(b.yearEnd?.p50 ?? 1).toBeLessThan(a.yearEnd?.p50 ?? 0);
  });

  it('never forecasts below what is disbursed nor above 100%', () => {
    const ahead = forecastScope(input({ series: [{ date: '2024-03-01', cumulativeVnd: 9.9 * B }] }));
    for (const r of [ahead.yearEnd, ahead.deadline]) {
      expect(r?.p10).toBeGreaterThanOrEqual(0.99);
      expect(r?.p90).toBeLessThanOrEqual(1);
    }
    const nothing = forecastScope(input({ asOf: '2024-12-20', series: [] }));
    expect(nothing.yearEnd?.p10).toBeGreaterThanOrEqual(0);
  });

  it('counts the pipeline as a floor: pending requests are expected to be paid at the conversion rate', () => {
    const without = forecastScope(input({ series: alongCurve(0.2) }));
    const withPipeline = forecastScope(input({ series: alongCurve(0.2), pipelineVnd: 8 * B }));
    expect(withPipeline.yearEnd?.p50).toBeCloseTo(0.12 + 0.9 * 0.8, 3);
    expect(withPipeline.yearEnd?.p50 ?? 0).toBeGreaterThan(without.yearEnd?.p50 ?? 1);
    expect(withPipeline.inputs?.pipelineRate).toBeCloseTo(0.8, 4);
  });

  it('reads nothing after asOf: points after it change neither the rate nor the forecast', () => {
    const before = forecastScope(input({ asOf: '2024-06-30', series: alongCurve(0.8) }));
    const cut = forecastScope(input({ asOf: '2024-06-30', series: alongCurve(0.8, '2024-06-30') }));
    expect(before).toEqual(cut);
  });

  it('gives the actual rate, with no interval, at a horizon that is already past', () => {
    const f = forecastScope(
      input({
        asOf: '2025-01-15',
        series: [...alongCurve(0.9), { date: '2025-01-10', cumulativeVnd: 9 * B }],
      }),
    );
    expect(f.yearEnd).toEqual({ on: '2024-12-31', p10: 0.855, p50: 0.855, p90: 0.855 });
    expect(f.deadline?.p10).toBeGreaterThanOrEqual(0.9);
  });

  it('keeps the deadline band at or above the year end’s, and a recurrent deadline of 31/12 equal to it', () => {
    const f = forecastScope(input({ asOf: '2024-06-30', series: alongCurve(0.7) }));
    expect(f.deadline?.p10 ?? 0).toBeGreaterThanOrEqual(f.yearEnd?.p10 ?? 1);
    expect(f.deadline?.p50 ?? 0).toBeGreaterThanOrEqual(f.yearEnd?.p50 ?? 1);
    const recurrent = forecastScope(
      input({ asOf: '2024-06-30', series: alongCurve(0.7), deadline: yearEndOf(2024) }),
    );
    expect(recurrent.deadline).toEqual(recurrent.yearEnd);
  });

  it('narrows the band as the year runs out', () => {
    const june = forecastScope(input({ asOf: '2024-06-30', series: alongCurve(1) })).yearEnd;
    const nov = forecastScope(input({ asOf: '2024-11-30', series: alongCurve(1) })).yearEnd;
    const width = (r: typeof june) => (r ? r.p90 - r.p10 : 0);
    expect(width(nov)).toBeLessThan(width(june));
  });

  it('blends in past years’ shapes and widens the band by their misses', () => {
    // Two past years that ended at 70% after a usual start: this year is expected to end lower.
    const late = (fiscalYear: number) =>
      shapeOfYear(fiscalYear, 100, [
        { date: `${fiscalYear}-06-30`, cumulativeVnd: 35 },
        { date: `${fiscalYear}-09-30`, cumulativeVnd: 45 },
        { date: `${fiscalYear}-12-31`, cumulativeVnd: 70 },
      ]);
    const plain = forecastScope(input({ asOf: '2024-06-30', series: alongCurve(1, '2024-06-30') }));
    const past = forecastScope(
      input({ asOf: '2024-06-30', series: alongCurve(1, '2024-06-30'), pastYears: [late(2022), late(2023)] }),
    );
    expect(past.inputs?.shapeSource).toBe('curve+pastYears');
    expect(past.inputs?.pastYearsWeight).toBeCloseTo(2 / 3, 4);
    expect(past.yearEnd?.p50 ?? 1).toBeLessThan(plain.yearEnd?.p50 ?? 0);
    expect(past.inputs?.pastYearMissPoints).toHaveLength(2);
  });

  it('has no rate and no forecast for a scope with nothing assigned', () => {
    const f = forecastScope(input({ assignedVnd: 0 }));
    expect(f).toMatchObject({ rate: null, yearEnd: null, deadline: null, inputs: null });
  });
});

describe('year shapes', () => {
  it('turns a cumulative series into shares by day of the fiscal year, the next January past day 364', () => {
    const s = shapeOfYear(2023, 200, [
      { date: '2024-01-10', cumulativeVnd: 200 },
      { date: '2023-01-01', cumulativeVnd: 50 },
    ]);
    expect(s.points).toEqual([
      { day: 0, share: 0.25 },
      { day: 374, share: 1 },
    ]);
    expect(shareAt(s, 100)).toBe(0.25);
    expect(shareAt(s, 374)).toBe(1);
  });

  it('is the curve alone without past years', () => {
    const { shape, pastYearsWeight } = referenceShape(curve, 2024);
    expect(pastYearsWeight).toBe(0);
    expect(shape(181)).toBeCloseTo(0.35, 4);
  });
});
