import {
  approvalOutboxFromEnv,
  fundingLineFromEnv,
  ledgerStoreFromEnv,
} from '../../shared/ledger/adapters/from-env.ts';
import { applyApprovalEvent } from '../../shared/ledger/app/apply-approval-event.ts';
import { ApprovalEventMessage } from '../../shared/ledger/messages.ts';
import { countMetric } from '../../shared/platform/aws/metrics.ts';
import { sqsHandler } from '../../shared/platform/aws/sqs-handler.ts';
import { systemEnv } from '../../shared/platform/clock.ts';
import { approvalPolicies } from '../../shared/platform/config/approval-policies/index.ts';

const line = fundingLineFromEnv();
const deps = {
  store: ledgerStoreFromEnv(),
  outbox: approvalOutboxFromEnv(),
  policies: approvalPolicies,
  now: systemEnv.now,
};

/**
 * Consumer of one funding line's approval queue (the same code for every line, configured by
 * FUNDING_LINE). One request's events are applied in order, different requests' concurrently; once
 * one of a request's events fails, its later ones in the batch wait and are redelivered with it.
 */
export const handler = sqsHandler({
  schema: ApprovalEventMessage,
  orderKey: (event) => event.requestId,
  logKeys: { line },
  dimensions: { fundingLine: line },
  process: async (event, log) => {
    if (event.fundingLine !== line)
      throw new Error(`event of line ${event.fundingLine} reached the ${line} queue`);
    log.appendKeys({ requestId: event.requestId, eventId: event.eventId });
    const result = await applyApprovalEvent(deps, event);
    log.info('approval event applied', { ...result });
    if (result.outcome !== 'ignored') countMetric('DecisionsApplied', { fundingLine: line });
    if (result.outcome === 'disbursed') countMetric('Postings', { fundingLine: line });
  },
});
