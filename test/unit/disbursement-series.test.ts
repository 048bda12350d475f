import { describe, expect, it } from 'vitest';
import { monitoringConfig } from '../../shared/monitoring/config/monitoring.ts';
import { curvePoints, disbursementSeries } from '../../shared/monitoring/domain/disbursement-series.ts';

const alloc = (
  capitalType: 'investment' | 'recurrent',
  assignedVnd: number,
  disbursedVnd: number,
  id = `a-${capitalType}`,
) => ({ id, capitalType, assignedVnd, disbursedVnd });
const entry = (
  capitalType: 'investment' | 'recurrent',
  amountVnd: number,
  postedAt: string,
  allocationId = `a-${capitalType}`,
) => ({ allocationId, capitalType, amountVnd, postedAt });

describe('the cumulative disbursement series', () => {
  it('adds up entries by Vietnam posting day, in date order, per capital type', () => {
    const series = disbursementSeries(
      [alloc('investment', 1_000, 600), alloc('investment', 500, 0), alloc('recurrent', 200, 50)],
      [
        entry('investment', 400, '2024-05-02T03:00:00.000Z'),
        entry('recurrent', 50, '2024-03-01T02:00:00.000Z'),
        entry('investment', 100, '2024-02-10T01:00:00.000Z'),
        // 18:00 UTC on 9 February is already 10 February in Vietnam.
        entry('investment', 100, '2024-02-09T18:00:00.000Z'),
      ],
    );

    expect(series).toEqual([
      {
        capitalType: 'investment',
        assignedVnd: 1_500,
        disbursedVnd: 600,
        points: [
          { date: '2024-02-10', cumulativeVnd: 200 },
          { date: '2024-05-02', cumulativeVnd: 600 },
        ],
      },
      {
        capitalType: 'recurrent',
        assignedVnd: 200,
        disbursedVnd: 50,
        points: [{ date: '2024-03-01', cumulativeVnd: 50 }],
      },
    ]);
  });

  it('leaves out a capital type with no allocation, and gives an allocation with no entry no point', () => {
    const series = disbursementSeries([alloc('recurrent', 300, 0)], []);

    expect(series).toEqual([{ capitalType: 'recurrent', assignedVnd: 300, disbursedVnd: 0, points: [] }]);
  });

  it('draws capital carried over from an earlier year as a series of its own, after the year’s own', () => {
    const series = disbursementSeries(
      [alloc('investment', 1_000, 100), { ...alloc('investment', 400, 300, 'carried'), carriedFrom: 'old' }],
      [
        entry('investment', 100, '2025-03-01T02:00:00.000Z'),
        entry('investment', 300, '2025-02-01T02:00:00.000Z', 'carried'),
      ],
    );

    expect(series).toEqual([
      {
        capitalType: 'investment',
        assignedVnd: 1_000,
        disbursedVnd: 100,
        points: [{ date: '2025-03-01', cumulativeVnd: 100 }],
      },
      {
        capitalType: 'investment',
        carriedOver: true,
        assignedVnd: 400,
        disbursedVnd: 300,
        points: [{ date: '2025-02-01', cumulativeVnd: 300 }],
      },
    ]);
  });

  it('dates the expected curve from 0% on 1 January through each milestone', () => {
    expect(curvePoints(monitoringConfig.curves.defaults.investment, 2024)).toEqual([
      { date: '2024-01-01', percent: 0 },
      { date: '2024-03-31', percent: 15 },
      { date: '2024-06-30', percent: 35 },
      { date: '2024-09-30', percent: 60 },
      { date: '2024-12-31', percent: 95 },
      { date: '2025-01-31', percent: 100 },
    ]);
  });
});
