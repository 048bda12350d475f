import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { isRetriedLater } from '../errors.ts';
import { MAX_RECEIVE_COUNT, METRICS_NAMESPACE, SERVICE_NAME } from '../topology.ts';

/**
 * The functions' business metrics, written as CloudWatch embedded metric format (EMF) entries in the
 * function's log: CloudWatch turns them into metrics with no API call. Namespace and service come from
 * POWERTOOLS_METRICS_NAMESPACE / POWERTOOLS_SERVICE_NAME (set by the CDK app), else the topology's
 * names; POWERTOOLS_METRICS_DISABLED=true (the local runtime's default) prints nothing.
 */
const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE,
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? SERVICE_NAME,
});

/** The metrics the functions count. */
export type BusinessMetric =
  | 'Submissions'
  | 'DecisionsApplied'
  | 'Postings'
  | 'IdempotentReplays'
  | 'AlertsSent'
  | 'MessagesDeadLettered'
  | 'Imports'
  | 'ImportsFinished';

/**
 * Counts one occurrence now, with its own dimensions (e.g. `fundingLine`): each count is flushed on its
 * own, so records of different funding lines in one batch keep their own dimension.
 */
export const countMetric = (name: BusinessMetric, dimensions: Record<string, string> = {}, value = 1) => {
  const single = metrics.singleMetric();
  for (const [key, dimension] of Object.entries(dimensions)) single.addDimension(key, dimension);
  single.addMetric(name, MetricUnit.Count, value);
};

/**
 * A consumer's record failed: logged (a warning when it only waits for later and has receives left, an
 * error otherwise), and counted as dead-lettered when this was its last receive (SQS moves it to the
 * dead-letter queue instead of redelivering it).
 */
export const reportRecordFailure = (
  log: {
    error: (message: string, attributes: Record<string, unknown>) => void;
    warn: (message: string, attributes: Record<string, unknown>) => void;
  },
  record: { attributes?: { ApproximateReceiveCount?: string } },
  error: unknown,
  dimensions: Record<string, string> = {},
) => {
  const receives = Number(record.attributes?.ApproximateReceiveCount ?? 1);
  const last = receives >= MAX_RECEIVE_COUNT;
  if (last) {
    log.error(`message failed on its last receive (${receives}); SQS moves it to the dead-letter queue`, {
      error,
    });
    countMetric('MessagesDeadLettered', dimensions);
  } else if (isRetriedLater(error)) {
    log.warn(`message left for later (receive ${receives} of ${MAX_RECEIVE_COUNT}); SQS will redeliver it`, {
      error,
    });
  } else {
    log.error(`message failed (receive ${receives} of ${MAX_RECEIVE_COUNT}); SQS will redeliver it`, {
      error,
    });
  }
};
