import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import {
  approvalOutboxFromEnv,
  fundingLineFromEnv,
  ledgerStoreFromEnv,
} from '../../shared/ledger/adapters/from-env.ts';
import { applyApprovalEvent } from '../../shared/ledger/app/apply-approval-event.ts';
import { ApprovalEventMessage } from '../../shared/ledger/messages.ts';
import { type ProjectLog, recordLogger } from '../../shared/platform/aws/logger.ts';
import { countMetric, reportRecordFailure } from '../../shared/platform/aws/metrics.ts';
import { observability } from '../../shared/platform/aws/observability.ts';
import { systemEnv } from '../../shared/platform/clock.ts';
import { approvalPolicies } from '../../shared/platform/config/approval-policies/index.ts';

const line = fundingLineFromEnv();
const deps = {
  store: ledgerStoreFromEnv(),
  outbox: approvalOutboxFromEnv(),
  policies: approvalPolicies,
  now: systemEnv.now,
};

const apply = async (log: ProjectLog, message: unknown) => {
  const event = ApprovalEventMessage.parse(message);
  if (event.fundingLine !== line)
    throw new Error(`event of line ${event.fundingLine} reached the ${line} queue`);
  log.appendKeys({ requestId: event.requestId, eventId: event.eventId });
  const result = await applyApprovalEvent(deps, event);
  log.info('approval event applied', { ...result });
  if (result.outcome !== 'ignored') countMetric('DecisionsApplied', { fundingLine: line });
  if (result.outcome === 'disbursed') countMetric('Postings', { fundingLine: line });
};

/** The request a record is about, to keep one request's events in order; a record that does not parse stands alone. */
const requestOf = (record: SQSRecord): { key: string; message?: unknown } => {
  try {
    const message = JSON.parse(record.body) as { requestId?: unknown };
    return { key: typeof message.requestId === 'string' ? message.requestId : record.messageId, message };
  } catch {
    return { key: record.messageId };
  }
};

/**
 * Consumer of one funding line's approval queue (the same code for every line, configured by
 * FUNDING_LINE). Records of different requests are applied concurrently, those of one request in
 * order; failures are reported per record so only those are redelivered, then dead-lettered.
 */
export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(observability<SQSEvent>())
  .handler(async (event) => {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    const byRequest = new Map<string, { record: SQSRecord; message?: unknown }[]>();
    for (const record of event.Records) {
      const { key, message } = requestOf(record);
      byRequest.set(key, [...(byRequest.get(key) ?? []), { record, message }]);
    }
    await Promise.all(
      [...byRequest.values()].map(async (records) => {
        for (const { record, message } of records) {
          // Each record logs under the correlation id its publisher gave it (records run concurrently).
          const log = recordLogger(record, { line });
          try {
            if (message === undefined) throw new Error('the message body is not JSON');
            await apply(log, message);
          } catch (error) {
            reportRecordFailure(log, record, error, { fundingLine: line });
            batchItemFailures.push({ itemIdentifier: record.messageId });
          }
        }
      }),
    );
    return { batchItemFailures };
  });
