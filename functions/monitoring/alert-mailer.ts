import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import {
  alertEmailDomainsFromEnv,
  deliveryClaimTimeoutMs,
  mailerFromEnv,
  monitoringRepositoryFromEnv,
} from '../../shared/monitoring/adapters/from-env.ts';
import { deliverAlert } from '../../shared/monitoring/app/deliver-alert.ts';
import type { Alert } from '../../shared/monitoring/domain/alert.ts';
import { AlertMessage } from '../../shared/monitoring/messages.ts';
import { recordLogger } from '../../shared/platform/aws/logger.ts';
import { countMetric, reportRecordFailure } from '../../shared/platform/aws/metrics.ts';
import { observability } from '../../shared/platform/aws/observability.ts';
import { systemEnv } from '../../shared/platform/clock.ts';
import { district } from '../../shared/platform/config/index.ts';

const store = monitoringRepositoryFromEnv();
const { mailer, sender, transport } = mailerFromEnv();
const deps = {
  subscriptions: store,
  deliveries: store,
  mailer,
  sender,
  allowList: alertEmailDomainsFromEnv(),
  context: { district: district.district, province: district.province },
  now: systemEnv.now,
  claimTimeoutMs: deliveryClaimTimeoutMs(),
};

/**
 * Consumer of the alerts queue: e-mails each alert to the inspectors subscribed to its scope, once
 * per address. Failures are reported per record, so only those are redelivered, then dead-lettered.
 */
export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(observability<SQSEvent>())
  .handler(async (event) => {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      const log = recordLogger(record);
      try {
        const alert: Alert = AlertMessage.parse(JSON.parse(record.body));
        const result = await deliverAlert(deps, alert);
        log.info('alert delivered', { alertId: alert.id, transport, ...result });
        if (result.sent > 0) countMetric('AlertsSent', { severity: alert.severity }, result.sent);
      } catch (error) {
        reportRecordFailure(log, record, error, { queue: 'alerts' });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  });
