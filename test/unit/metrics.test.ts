import { afterEach, describe, expect, it, vi } from 'vitest';
import { DeliveriesPendingError } from '../../shared/monitoring/app/send-once.ts';
import { countMetric, reportRecordFailure } from '../../shared/platform/aws/metrics.ts';
import { HeldBackError } from '../../shared/platform/aws/sqs-batch.ts';

/** The EMF entries printed while `act` runs (Powertools writes them to stdout, one JSON per line). */
const emfOf = (act: () => void) => {
  const lines: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    act();
  } finally {
    write.mockRestore();
  }
  return lines
    .flatMap((l) => l.split('\n'))
    .filter((l) => l.includes('"_aws"'))
    .map((l) => JSON.parse(l) as Record<string, unknown> & { _aws: { CloudWatchMetrics: unknown[] } });
};

afterEach(() => vi.restoreAllMocks());

describe('business metrics in embedded metric format', () => {
  it('counts a metric with its funding-line dimension in the GiaiNgan namespace', () => {
    const [entry] = emfOf(() => countMetric('Postings', { fundingLine: 'central' }));
    expect(entry).toMatchObject({ Postings: 1, fundingLine: 'central', service: 'giai-ngan' });
    expect(entry?._aws.CloudWatchMetrics).toEqual([
      expect.objectContaining({
        Namespace: 'GiaiNgan',
        Dimensions: [expect.arrayContaining(['fundingLine'])],
        Metrics: [{ Name: 'Postings', Unit: 'Count' }],
      }),
    ]);
  });

  it('counts a failed record as dead-lettered only on its last receive', () => {
    const log = { error: vi.fn(), warn: vi.fn() };
    const early = emfOf(() =>
      reportRecordFailure(log, { attributes: { ApproximateReceiveCount: '4' } }, new Error('x'), {
        fundingLine: 'local',
      }),
    );
    const last = emfOf(() =>
      reportRecordFailure(log, { attributes: { ApproximateReceiveCount: '5' } }, new Error('x'), {
        fundingLine: 'local',
      }),
    );
    expect(early).toEqual([]);
    expect(last).toEqual([expect.objectContaining({ MessagesDeadLettered: 1, fundingLine: 'local' })]);
    expect(log.error).toHaveBeenLastCalledWith(expect.stringMatching(/dead-letter queue/), expect.anything());
  });

  it('logs a record left for later as a warning while it has receives left, an error on its last', () => {
    const log = { error: vi.fn(), warn: vi.fn() };
    const later = new DeliveriesPendingError('alert a-1', ['thanh.tra@example.vn']);
    reportRecordFailure(log, { attributes: { ApproximateReceiveCount: '2' } }, later);
    reportRecordFailure(log, { attributes: { ApproximateReceiveCount: '2' } }, new HeldBackError('k', 'm-1'));
    expect(log.warn).toHaveBeenCalledTimes(2);
    expect(log.warn).toHaveBeenCalledWith(expect.stringMatching(/left for later \(receive 2 of 5\)/), {
      error: later,
    });
    expect(log.error).not.toHaveBeenCalled();
    reportRecordFailure(log, { attributes: { ApproximateReceiveCount: '2' } }, new Error('x'));
    reportRecordFailure(log, { attributes: { ApproximateReceiveCount: '5' } }, later);
    expect(log.error).toHaveBeenCalledTimes(2);
    expect(log.warn).toHaveBeenCalledTimes(2);
  });
});
