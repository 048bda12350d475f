import middy from '@middy/core';
import { approvalOutboxFromEnv, approvalPublisherFromEnv } from '../../shared/ledger/adapters/from-env.ts';
import { relayApprovalEvents } from '../../shared/ledger/app/relay-approval-events.ts';
import { relaySettings } from '../../shared/ledger/domain/approval-outbox.ts';
import { logger } from '../../shared/platform/aws/logger.ts';
import { observability } from '../../shared/platform/aws/observability.ts';
import { systemEnv } from '../../shared/platform/clock.ts';

const deps = {
  outbox: approvalOutboxFromEnv(),
  publisher: approvalPublisherFromEnv(),
  settings: relaySettings(process.env),
  now: systemEnv.now,
};

/**
 * Scheduled outbox relay: re-publishes the approval events still pending past their grace period
 * (lost between the store and the queue), a bounded number of times each.
 */
export const handler = middy()
  .use(observability())
  .handler(async () => {
    const report = await relayApprovalEvents(deps);
    // An idle run (nothing pending past its grace period) logs nothing: locally it runs every 30 s.
    if (report.due > 0 || report.failed > 0) {
      logger.info('outbox relay ran', { ...report });
    }
    return report;
  });
