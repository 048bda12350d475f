import { describe, expect, it } from 'vitest';
import { parseForecastQuery } from '../../shared/forecast/domain/forecast-query.ts';
import { type PipelineRequest, pendingAt, pipelineVndAt } from '../../shared/forecast/domain/pipeline.ts';

const TODAY = '2024-10-01';

describe('the forecast query', () => {
  it('defaults to today, its year and allocations', () => {
    expect(parseForecastQuery({}, TODAY)).toEqual({ fiscalYear: 2024, asOf: TODAY, groupBy: 'allocation' });
    expect(parseForecastQuery({ fiscalYear: '2023', groupBy: 'project' }, TODAY)).toEqual({
      fiscalYear: 2023,
      asOf: TODAY,
      groupBy: 'project',
    });
  });

  it.each([
    [{ groupBy: 'district' }, 'query.groupBy'],
    [{ asOf: '2024-02-30' }, 'query.asOf'],
    [{ asOf: '2024-10-02' }, 'query.asOf'],
    [{ fiscalYear: '24' }, 'query.fiscalYear'],
    [{ fiscalYear: '2101' }, 'query.fiscalYear'],
    [{ fiscalYear: '2025' }, 'query.asOf'],
  ])('refuses %j with 422 invalid_forecast_query naming %s', (raw, field) => {
    expect(() => parseForecastQuery(raw, TODAY)).toThrow(
      expect.objectContaining({
        code: 'invalid_forecast_query',
        status: 422,
        details: expect.objectContaining({ field }),
      }),
    );
  });
});

const request = (over: Partial<PipelineRequest>): PipelineRequest => ({
  status: 'pending_approval',
  createdAt: '2024-06-20T02:00:00.000Z',
  updatedAt: '2024-06-20T02:00:00.000Z',
  approvals: [],
  amountVnd: 100,
  ...over,
});
const endOf30June = new Date('2024-06-30T17:00:00.000Z');

describe('the pipeline at a past day', () => {
  it('counts requests submitted before and settled after, at their cash (a payment net of its recovery)', () => {
    const paidLater = request({
      status: 'disbursed',
      approvals: [
        { level: 'treasury', decision: 'approve', by: 't', at: '2024-07-05T02:00:00.000Z', eventId: 'e' },
      ],
    });
    const payment = request({ kind: 'payment', amountVnd: 100, recoveryVnd: 30 });
    const paidBefore = request({
      status: 'disbursed',
      approvals: [
        { level: 'treasury', decision: 'approve', by: 't', at: '2024-06-25T02:00:00.000Z', eventId: 'e' },
      ],
    });
    const submittedAfter = request({ createdAt: '2024-06-30T17:00:00.000Z' });
    const cancelledBefore = request({ status: 'cancelled', updatedAt: '2024-06-29T02:00:00.000Z' });
    const expiredAfter = request({
      status: 'expired',
      expired: { deadline: '2025-01-31', at: '2025-02-01T00:00:00.000Z' },
    });
    expect(
      [paidLater, payment, paidBefore, submittedAfter, cancelledBefore, expiredAfter].map((r) =>
        pendingAt(r, endOf30June),
      ),
    ).toEqual([true, true, false, false, false, true]);
    expect(
      pipelineVndAt([paidLater, payment, paidBefore, submittedAfter, cancelledBefore], endOf30June),
    ).toBe(170);
  });
});
