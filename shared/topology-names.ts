import type { FundingLine } from './domain/funding-line.ts';

/** Names shared by the topology and the route declarations (kept apart to avoid an import cycle). */
export const approvalQueueId = (line: FundingLine) => `approvals-${line}`;
export const approvalQueueUrlEnv = (line: FundingLine) => `APPROVALS_${line.toUpperCase()}_QUEUE_URL`;

/** Environment variable holding the key that signs page cursors (a secret in AWS, a file locally). */
export const CURSOR_SECRET_ENV = 'CURSOR_SECRET';

/** Partition key of the audit log's items (read-only functions may write there, and only there). */
export const AUDIT_LOG_PARTITION = 'AUDITLOG';

/** The index whose sparse `OUTBOX#…` partitions hold the approval-event outbox (see the outbox adapter). */
export const APPROVAL_OUTBOX_INDEX = 'gsi2';

/** Partition-key prefix of the decisions' idempotency records, which carry the outbox entries. */
export const DECISION_RECORD_KEY_PREFIX = 'IDEM#decide-request#';

/** The scheduled function that re-publishes approval events left pending in the outbox. */
export const OUTBOX_RELAY_ID = 'outbox-relay';

/** Partition-key prefix of subscriptions (the public confirmation route may touch these items only). */
export const SUBSCRIPTION_KEY_PREFIX = 'SUB#';

/** Receives of a queue message before SQS moves it to the queue's dead-letter queue. */
export const MAX_RECEIVE_COUNT = 5;

/** The service name on every log entry and trace (POWERTOOLS_SERVICE_NAME in AWS). */
export const SERVICE_NAME = 'giai-ngan';

/** The CloudWatch namespace of the functions' business metrics (POWERTOOLS_METRICS_NAMESPACE in AWS). */
export const METRICS_NAMESPACE = 'GiaiNgan';
