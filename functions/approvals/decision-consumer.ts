import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { ledgerStoreFromEnv } from '../../shared/adapters/from-env.ts';
import { applyApprovalEvent } from '../../shared/app/apply-approval-event.ts';
import { systemEnv } from '../../shared/app/clock.ts';
import { approvalPolicy } from '../../shared/config/index.ts';
import { fundingLineFromEnv } from '../../shared/config/runtime-config.ts';
import { ApprovalEventMessage } from '../../shared/http/schemas.ts';

const line = fundingLineFromEnv();
const deps = { store: ledgerStoreFromEnv(), policy: approvalPolicy, now: systemEnv.now };

/**
 * Consumer of one funding line's approval queue (the same code for every line, configured by
 * FUNDING_LINE). Reports failures per record so only those are redelivered, then dead-lettered.
 */
export const handler = middy<SQSEvent, SQSBatchResponse>().handler(async (event) => {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      const message = ApprovalEventMessage.parse(JSON.parse(record.body));
      if (message.fundingLine !== line) {
        throw new Error(`event of line ${message.fundingLine} reached the ${line} queue`);
      }
      const result = await applyApprovalEvent(deps, message);
      console.log(
        JSON.stringify({
          level: 'info',
          line,
          eventId: message.eventId,
          requestId: message.requestId,
          ...result,
        }),
      );
    } catch (error) {
      console.error(
        JSON.stringify({ level: 'error', line, messageId: record.messageId, error: String(error) }),
      );
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
});
