import {
  acknowledgementLinksFromEnv,
  alertEmailDomainsFromEnv,
  deliveryClaimTimeoutMs,
  emailContextFromConfig,
  mailerFromEnv,
  monitoringRepositoryFromEnv,
  publicUrlsFromEnv,
} from '../../shared/monitoring/adapters/from-env.ts';
import { deliverAlert } from '../../shared/monitoring/app/deliver-alert.ts';
import type { Alert } from '../../shared/monitoring/domain/alert.ts';
import { AlertMessage } from '../../shared/monitoring/messages.ts';
import { countMetric } from '../../shared/platform/aws/metrics.ts';
import { sqsHandler } from '../../shared/platform/aws/sqs-handler.ts';
import { systemEnv } from '../../shared/platform/clock.ts';

const store = monitoringRepositoryFromEnv();
const { mailer, sender, transport } = mailerFromEnv();
const deps = {
  subscriptions: store,
  deliveries: store,
  mailer,
  sender,
  allowList: alertEmailDomainsFromEnv(),
  contextOf: emailContextFromConfig(),
  now: systemEnv.now,
  claimTimeoutMs: deliveryClaimTimeoutMs(),
  acknowledgementLinks: await acknowledgementLinksFromEnv(),
  publicUrls: publicUrlsFromEnv(),
};

/**
 * Consumer of the alerts queue: e-mails each alert to the inspectors subscribed to its scope, once
 * per address. Copies of one alert are handled in turn, different alerts concurrently; failures are
 * reported per record, so only those are redelivered, then dead-lettered.
 */
export const handler = sqsHandler({
  schema: AlertMessage,
  orderKey: (alert) => alert.id,
  dimensions: { queue: 'alerts' },
  process: async (alert: Alert, log) => {
    const result = await deliverAlert(deps, alert);
    log.info('alert delivered', { alertId: alert.id, transport, ...result });
    if (result.sent > 0) countMetric('AlertsSent', { severity: alert.severity }, result.sent);
  },
});
