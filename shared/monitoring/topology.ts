import { type FunctionSpec, MAX_RECEIVE_COUNT, type QueueSpec } from '../platform/topology.ts';

/** The alerts queue: one message per finding of the monitor, consumed by the alert mailer. */
export const ALERTS_QUEUE_ID = 'alerts';
export const ALERTS_QUEUE_URL_ENV = 'ALERTS_QUEUE_URL';

/**
 * E-mail domains whose addresses get alerts without confirming (`gov.vn, quangnam.gov.vn`): a
 * deployment setting (CDK context `alertEmailDomains`; locally `gov.vn` unless set).
 */
export const ALERT_EMAIL_DOMAINS_ENV = 'ALERT_EMAIL_DOMAINS';

/**
 * The key signing the links the system e-mails: subscriptions' confirmation links and alerts'
 * acknowledge links, each for its own purpose (a secret in AWS, a file locally).
 */
export const SUBSCRIPTION_CONFIRM_SECRET_ENV = 'SUBSCRIPTION_CONFIRM_SECRET';

/** The mailer's timeout; its queue's visibility is 6× this, as AWS advises for SQS event sources. */
export const ALERT_MAILER_TIMEOUT_SECONDS = 60;

/** Overrides, in seconds, how old an unfinished delivery claim must be before another sender takes it over. */
export const ALERT_CLAIM_TIMEOUT_ENV = 'ALERT_CLAIM_TIMEOUT_SECONDS';

/** Queues of monitoring (the alerts queue, issue 3). */
export const MONITORING_QUEUES: QueueSpec[] = [
  {
    id: ALERTS_QUEUE_ID,
    urlEnv: ALERTS_QUEUE_URL_ENV,
    visibilityTimeoutSeconds: 6 * ALERT_MAILER_TIMEOUT_SECONDS,
    maxReceiveCount: MAX_RECEIVE_COUNT,
    deadLetterRetentionDays: 14,
  },
];

/** Non-HTTP functions of monitoring (the scheduled monitor, the alert mailer; issue 3). */
export const MONITORING_FUNCTIONS: FunctionSpec[] = [
  {
    id: 'monitor',
    entry: 'functions/monitoring/monitor.ts',
    // Daily at 07:00; the CDK app applies the Asia/Ho_Chi_Minh time zone. Locally hourly (deduplicated).
    trigger: { kind: 'schedule', expression: 'cron(0 7 * * ? *)', localIntervalSeconds: 3600 },
    timeoutSeconds: 120,
    environment: {},
    // Writes only its own alert records (the deduplication of findings).
    table: 'read-write',
    sendsTo: [ALERTS_QUEUE_ID],
  },
  {
    id: 'alert-mailer',
    entry: 'functions/monitoring/alert-mailer.ts',
    trigger: { kind: 'queue', queueId: ALERTS_QUEUE_ID, batchSize: 5 },
    timeoutSeconds: ALERT_MAILER_TIMEOUT_SECONDS,
    environment: {},
    // Reads subscriptions, writes the once-per-recipient delivery records.
    table: 'read-write',
    sendsTo: [],
    sendsEmail: true,
    settings: [ALERT_EMAIL_DOMAINS_ENV],
    // Signs each recipient's acknowledge link (the key of the links the system e-mails).
    secrets: [SUBSCRIPTION_CONFIRM_SECRET_ENV],
    // Each e-mail links to its alert on the dashboard and to the acknowledge page of the API.
    publicUrls: true,
  },
];
