import {
  DEFAULT_RELAY_SETTINGS,
  OUTBOX_GRACE_ENV,
  OUTBOX_MAX_REPUBLISHES_ENV,
} from './domain/approval-outbox.ts';
import { FUNDING_LINES } from './domain/funding-line.ts';
import { isAuditedRoute } from './http/audited-route.ts';
import { isPagedRoute } from './http/paged-route.ts';
import { ROUTES, type RouteSpec } from './http/routes.ts';
import { AUDIT_FUNCTIONS } from './topology-audit.ts';
import { MONITORING_FUNCTIONS, MONITORING_QUEUES } from './topology-monitoring.ts';
import {
  approvalQueueId,
  approvalQueueUrlEnv,
  CURSOR_SECRET_ENV,
  MAX_RECEIVE_COUNT,
  OUTBOX_RELAY_ID,
} from './topology-names.ts';

export { approvalQueueId, approvalQueueUrlEnv };

/**
 * The one declaration of the system's resources and wiring, read by both the CDK app (infra/) and the
 * local runtime (local/), so the two cannot drift apart.
 */

export interface TableSpec {
  id: string;
  partitionKey: string;
  sortKey: string;
  timeToLiveAttribute: string;
  indexes: { name: string; partitionKey: string; sortKey: string }[];
}

/** Single-table design; see README "DynamoDB table design" for the item types. */
export const TABLE: TableSpec = {
  id: 'Ledger',
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLiveAttribute: 'expiresAt',
  indexes: [
    { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    { name: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
  ],
};

export interface QueueSpec {
  id: string;
  /** Environment variable through which functions receive the queue URL. */
  urlEnv: string;
  visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the dead-letter queue. */
  maxReceiveCount: number;
  deadLetterRetentionDays: number;
}

/** Consumer timeout; queue visibility is 6× this, as AWS advises for SQS event sources. */
export const CONSUMER_TIMEOUT_SECONDS = 30;

export const QUEUES: QueueSpec[] = [
  ...FUNDING_LINES.map((line) => ({
    id: approvalQueueId(line),
    urlEnv: approvalQueueUrlEnv(line),
    visibilityTimeoutSeconds: 6 * CONSUMER_TIMEOUT_SECONDS,
    maxReceiveCount: MAX_RECEIVE_COUNT,
    deadLetterRetentionDays: 14,
  })),
  ...MONITORING_QUEUES,
];

export type Trigger =
  | { kind: 'http'; route: RouteSpec }
  | { kind: 'queue'; queueId: string; batchSize: number }
  | { kind: 'schedule'; expression: string; localIntervalSeconds: number };

export interface FunctionSpec {
  id: string;
  /** Source file, relative to the repository root; it exports `handler`. */
  entry: string;
  trigger: Trigger;
  timeoutSeconds: number;
  environment: Record<string, string>;
  /**
   * Table access the function needs (least privilege in AWS). `outbox`: query the outbox index and
   * update the decisions' records that hold it, nothing else. `subscriptions`: get and update
   * subscription items only (the public confirmation route).
   */
  table: 'none' | 'read' | 'read-write' | 'outbox' | 'subscriptions';
  /** Queues the function sends to. */
  sendsTo: string[];
  /**
   * Sends e-mail through Amazon SES (the alert mailer): in AWS it needs ses:SendEmail and
   * ses:SendRawEmail on the sender identity, and SENDER_EMAIL in its environment.
   */
  sendsEmail?: boolean;
  /** Environment variables filled from managed secrets (Secrets Manager in AWS, files under DATA_DIR locally). */
  secrets?: string[];
  /** Environment variables filled from the deployment's settings (CDK context in AWS, the environment locally). */
  settings?: string[];
  /** Records auditors' reads in the audit log: needs PutItem on the `AUDITLOG` partition even when read-only. */
  auditTrail?: boolean;
}

export const FUNCTIONS: FunctionSpec[] = [
  ...ROUTES.map(
    (route: RouteSpec): FunctionSpec => ({
      id: route.functionId,
      entry: `functions/api/${route.functionId}.ts`,
      trigger: { kind: 'http', route },
      timeoutSeconds: 10,
      environment: {},
      table: route.table,
      sendsTo: [...(route.sendsTo ?? [])],
      // A paged route signs its cursors: its function gets the cursor key, declared nowhere else.
      secrets: [...new Set([...(route.secrets ?? []), ...(isPagedRoute(route) ? [CURSOR_SECRET_ENV] : [])])],
      settings: [...(route.settings ?? [])],
      ...(route.sendsEmail ? { sendsEmail: true } : {}),
      auditTrail: isAuditedRoute(route),
    }),
  ),
  ...FUNDING_LINES.map(
    (line): FunctionSpec => ({
      id: `approval-consumer-${line}`,
      entry: 'functions/approvals/decision-consumer.ts',
      trigger: { kind: 'queue', queueId: approvalQueueId(line), batchSize: 10 },
      timeoutSeconds: CONSUMER_TIMEOUT_SECONDS,
      environment: { FUNDING_LINE: line },
      table: 'read-write',
      sendsTo: [],
    }),
  ),
  {
    id: OUTBOX_RELAY_ID,
    entry: 'functions/approvals/outbox-relay.ts',
    // Every 5 minutes in AWS; locally every 30 s (local/runtime.ts may shorten it) and once at start-up.
    trigger: { kind: 'schedule', expression: 'rate(5 minutes)', localIntervalSeconds: 30 },
    timeoutSeconds: 60,
    environment: {
      [OUTBOX_GRACE_ENV]: String(DEFAULT_RELAY_SETTINGS.graceSeconds),
      [OUTBOX_MAX_REPUBLISHES_ENV]: String(DEFAULT_RELAY_SETTINGS.maxRepublishes),
    },
    table: 'outbox',
    sendsTo: FUNDING_LINES.map(approvalQueueId),
  },
  ...MONITORING_FUNCTIONS,
  ...AUDIT_FUNCTIONS,
];

/** Environment variable through which functions receive the table name. */
export const TABLE_NAME_ENV = 'TABLE_NAME';
