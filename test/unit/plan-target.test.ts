import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  actualOf,
  byPlanOrder,
  definitionProblem,
  disbursementPercent,
  evaluateIndicator,
  type Indicator,
  latestMeasurement,
  type Measurement,
  measurementDateProblem,
  parseIndicatorId,
  progressOf,
  statusOf,
  type TargetRange,
  yearFigures,
} from '../../shared/targets/domain/plan-target.ts';

const indicator = (overrides: Partial<Indicator> = {}): Indicator => ({
  id: '2024.houses',
  fiscalYear: 2024,
  code: 'houses',
  name: { vi: 'Nhà ở an toàn', en: 'Safe houses' },
  unit: { vi: 'căn', en: 'houses' },
  target: { min: 451, max: 451 },
  source: 'outputs',
  outputKeys: ['houses'],
  updatedAt: '2024-01-05T03:00:00.000Z',
  updatedBy: 'planner-1',
  ...overrides,
});

const measurement = (value: number, date: string, recordedAt = `${date}T10:00:00.000Z`): Measurement => ({
  id: `m-${value}-${date}`,
  indicatorId: '2024.poorHouseholds',
  value,
  date,
  source: 'Rà soát hộ nghèo',
  recordedBy: 'planner-1',
  recordedAt,
});

const noFigures = yearFigures([]);

describe('a target range and its status', () => {
  const range = fc
    .tuple(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 0, max: 1_000_000 }))
    .map(([min, extra]): TargetRange => ({ min, max: min + extra }));

  it('is met exactly from the lower bound of the range on, and in progress just below it', () => {
    fc.assert(
      fc.property(range, (target) => {
        expect(statusOf(target.min, target)).toBe('met');
        expect(statusOf(target.min - 1, target)).toBe('in_progress');
        expect(statusOf(target.max ?? target.min, target)).toBe('met');
        expect(progressOf(target.min, target)).toBe(1);
        expect(progressOf(target.min - 1, target)).toBeLessThan(1);
      }),
    );
  });

  it('stays met above the upper bound: exceeding 330 fewer poor households is no failure', () => {
    expect(statusOf(331, { min: 270, max: 330 })).toBe('met');
    expect(progressOf(331, { min: 270, max: 330 })).toBe(1.2259);
  });

  it('grows progress with the actual and never reports met below the minimum', () => {
    fc.assert(
      fc.property(range, fc.integer({ min: 0, max: 2_000_000 }), fc.nat(1000), (target, a, step) => {
        const p1 = progressOf(a, target) ?? Number.NaN;
        const p2 = progressOf(a + step, target) ?? Number.NaN;
        expect(p2).toBeGreaterThanOrEqual(p1);
        expect(statusOf(a, target) === 'met').toBe(a >= target.min);
      }),
    );
  });

  it('has no progress and no data without an actual', () => {
    expect(progressOf(null, { min: 300 })).toBeNull();
    expect(statusOf(null, { min: 300 })).toBe('no_data');
  });

  it('treats a target of 0 as met by any actual of 0 or more, without dividing by zero', () => {
    expect(progressOf(0, { min: 0 })).toBe(1);
    expect(progressOf(-2, { min: 0 })).toBe(0);
  });
});

describe('the year figures from allocations', () => {
  it('sums outputs over every allocation and the investment totals only over investment capital', () => {
    const figures = yearFigures([
      { capitalType: 'investment', assignedVnd: 1_000, disbursedVnd: 600, outputs: { worksRoad: 2 } },
      { capitalType: 'investment', assignedVnd: 3_000, disbursedVnd: 900 },
      {
        capitalType: 'recurrent',
        assignedVnd: 5_000,
        disbursedVnd: 5_000,
        outputs: { houses: 3, worksRoad: 1 },
      },
    ]);

    expect(figures).toEqual({
      outputs: { worksRoad: 3, houses: 3 },
      investment: { assignedVnd: 4_000, disbursedVnd: 1_500 },
    });
    expect(disbursementPercent(figures.investment)).toBe(37.5);
  });

  it('never rounds a rate short of the whole plan up to 100%', () => {
    expect(disbursementPercent({ assignedVnd: 10_000, disbursedVnd: 9_996 })).toBe(99.9);
    expect(disbursementPercent({ assignedVnd: 10_000, disbursedVnd: 10_000 })).toBe(100);
  });

  it('gives no disbursement rate when no investment capital is assigned', () => {
    expect(disbursementPercent({ assignedVnd: 0, disbursedVnd: 0 })).toBeNull();
  });

  it('adds up to the same outputs whatever the order of the allocations', () => {
    const allocation = fc.record({
      capitalType: fc.constantFrom('investment' as const, 'recurrent' as const),
      assignedVnd: fc.nat(1e9),
      disbursedVnd: fc.nat(1e9),
      outputs: fc.dictionary(fc.constantFrom('houses', 'workers', 'models'), fc.nat(1000)),
    });
    fc.assert(
      fc.property(fc.array(allocation, { maxLength: 20 }), (list) => {
        expect(yearFigures([...list].reverse())).toEqual(yearFigures(list));
        const houses = list.reduce((s, a) => s + (a.outputs.houses ?? 0), 0);
        expect(yearFigures(list).outputs.houses ?? 0).toBe(houses);
      }),
    );
  });
});

describe('the actual of an indicator', () => {
  const figures = yearFigures([
    {
      capitalType: 'investment',
      assignedVnd: 2_000,
      disbursedVnd: 1_226,
      outputs: { workers: 126, workersAbroad: 31, houses: 212 },
    },
  ]);

  it('adds the counted outputs of its keys, 0 when none was posted', () => {
    expect(actualOf(indicator({ outputKeys: ['workers', 'workersAbroad'] }), figures)).toBe(157);
    expect(actualOf(indicator({ outputKeys: ['models'] }), figures)).toBe(0);
  });

  it('takes the disbursement rate of the year in percent', () => {
    expect(actualOf(indicator({ source: 'disbursement' }), figures)).toBe(61.3);
  });

  it('takes the latest measurement, or nothing without one', () => {
    expect(actualOf(indicator({ source: 'measurements' }), figures, measurement(287, '2024-12-31'))).toBe(
      287,
    );
    expect(actualOf(indicator({ source: 'measurements' }), figures)).toBeNull();
  });

  it('shows a breakdown part with its own actual, target and status', () => {
    const item = evaluateIndicator(
      indicator({
        code: 'workers',
        target: { min: 300 },
        outputKeys: ['workers', 'workersAbroad'],
        breakdown: [
          {
            code: 'workersAbroad',
            name: { vi: 'Tại Lào', en: 'In Laos' },
            outputKeys: ['workersAbroad'],
            target: { min: 50 },
          },
        ],
      }),
      figures,
    );

    expect(item).toMatchObject({ actual: 157, progress: 0.5233, status: 'in_progress' });
    expect(item.breakdown).toEqual([
      {
        code: 'workersAbroad',
        name: { vi: 'Tại Lào', en: 'In Laos' },
        actual: 31,
        target: { min: 50 },
        progress: 0.62,
        status: 'in_progress',
      },
    ]);
    expect(item).not.toHaveProperty('lastMeasurement');
  });

  it('shows the last measurement of a measured indicator, and ignores one given to another kind', () => {
    const latest = measurement(300, '2024-12-31');
    const measured = evaluateIndicator(
      indicator({ source: 'measurements', target: { min: 270, max: 330 }, outputKeys: undefined }),
      noFigures,
      latest,
    );
    expect(measured).toMatchObject({ actual: 300, status: 'met', progress: 1.1111 });
    expect(measured.lastMeasurement).toEqual({
      value: 300,
      date: '2024-12-31',
      source: 'Rà soát hộ nghèo',
      recordedBy: 'planner-1',
      recordedAt: '2024-12-31T10:00:00.000Z',
    });
    expect(evaluateIndicator(indicator(), noFigures, latest)).not.toHaveProperty('lastMeasurement');
  });
});

describe('the latest measurement', () => {
  it('is the one of the latest day, whatever the order they were recorded in', () => {
    const mid = measurement(120, '2024-06-30', '2025-01-10T00:00:00.000Z');
    const end = measurement(287, '2024-12-31', '2025-01-05T00:00:00.000Z');
    expect(latestMeasurement([end, mid])).toBe(end);
    expect(latestMeasurement([mid, end])).toBe(end);
  });

  it('is the one recorded last of two for the same day (a correction)', () => {
    const first = measurement(280, '2024-12-31', '2025-01-05T00:00:00.000Z');
    const correction = measurement(287, '2024-12-31', '2025-01-06T00:00:00.000Z');
    expect(latestMeasurement([correction, first])).toBe(correction);
  });

  it('is undefined when there is none', () => {
    expect(latestMeasurement([])).toBeUndefined();
  });
});

describe('definitions and measurement dates', () => {
  it('parses indicator ids and refuses anything else', () => {
    expect(parseIndicatorId('2024.houses')).toEqual({ fiscalYear: 2024, code: 'houses' });
    expect(parseIndicatorId('2024-houses')).toBeUndefined();
    expect(parseIndicatorId('2024.')).toBeUndefined();
  });

  it('refuses a range upside down, outputs without keys, and keys on a measured indicator', () => {
    expect(definitionProblem({ source: 'measurements', target: { min: 330, max: 270 } })).toMatch(/max/);
    expect(definitionProblem({ source: 'outputs', target: { min: 1 } })).toMatch(/outputKeys/);
    expect(
      definitionProblem({ source: 'disbursement', target: { min: 100 }, outputKeys: ['houses'] }),
    ).toMatch(/only to indicators counted from outputs/);
    expect(
      definitionProblem({
        source: 'outputs',
        target: { min: 1 },
        outputKeys: ['a'],
        breakdown: [
          { code: 'a', name: { vi: 'a', en: 'a' }, outputKeys: ['a'] },
          { code: 'a', name: { vi: 'b', en: 'b' }, outputKeys: ['a'] },
        ],
      }),
    ).toMatch(/different/);
    expect(
      definitionProblem({ source: 'outputs', target: { min: 451, max: 451 }, outputKeys: ['houses'] }),
    ).toBe(undefined);
  });

  it('accepts a measurement dated in its year or the next, up to today, and nothing else', () => {
    expect(measurementDateProblem('2024-12-31', 2024, '2025-01-05')).toBeUndefined();
    expect(measurementDateProblem('2025-01-03', 2024, '2025-01-05')).toBeUndefined();
    expect(measurementDateProblem('2023-12-31', 2024, '2025-01-05')).toMatch(/fall in 2024 or 2025/);
    expect(measurementDateProblem('2026-01-01', 2024, '2027-01-01')).toMatch(/fall in 2024 or 2025/);
    expect(measurementDateProblem('2025-01-06', 2024, '2025-01-05')).toMatch(/later than today/);
    expect(measurementDateProblem('2024-02-30', 2024, '2025-01-05')).toMatch(/calendar date/);
  });

  it('sorts indicators by their place in the plan, then by code', () => {
    const list = [
      { code: 'b' },
      { code: 'houses', order: 6 },
      { code: 'a' },
      { code: 'poorHouseholds', order: 1 },
    ];
    expect(list.sort(byPlanOrder).map((i) => i.code)).toEqual(['poorHouseholds', 'houses', 'a', 'b']);
  });
});
