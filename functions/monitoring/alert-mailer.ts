import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { recordLogger } from '../../shared/adapters/logger.ts';
import { countMetric, reportRecordFailure } from '../../shared/adapters/metrics.ts';
import {
  alertEmailDomainsFromEnv,
  deliveryClaimTimeoutMs,
  mailerFromEnv,
  monitoringRepositoryFromEnv,
} from '../../shared/adapters/monitoring-from-env.ts';
import { observability } from '../../shared/adapters/observability.ts';
import { systemEnv } from '../../shared/app/clock.ts';
import { deliverAlert } from '../../shared/app/deliver-alert.ts';
import { district } from '../../shared/config/index.ts';
import type { Alert } from '../../shared/domain/alert.ts';
import { AlertMessage } from '../../shared/http/monitoring-schemas.ts';

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
