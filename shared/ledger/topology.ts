import {
  CONSUMER_TIMEOUT_SECONDS,
  type FunctionSpec,
  MAX_RECEIVE_COUNT,
  type QueueSpec,
} from '../platform/topology.ts';
import {
  DEFAULT_RELAY_SETTINGS,
  OUTBOX_GRACE_ENV,
  OUTBOX_MAX_REPUBLISHES_ENV,
} from './domain/approval-outbox.ts';
import { FUNDING_LINES, type FundingLine } from './domain/funding-line.ts';

export const approvalQueueId = (line: FundingLine) => `approvals-${line}`;
export const approvalQueueUrlEnv = (line: FundingLine) => `APPROVALS_${line.toUpperCase()}_QUEUE_URL`;

/**
 * The idempotency operation of approval decisions: its records carry the approval-event outbox, and
 * the outbox relay may update those records only (their keys: `idempotencyKeys` in platform/table/keys.ts).
 */
export const DECISION_OPERATION = 'decide-request';

/** The scheduled function that re-publishes approval events left pending in the outbox. */
export const OUTBOX_RELAY_ID = 'outbox-relay';

/** The scheduled function that expires requests still pending after their allocation's deadline. */
export const DEADLINE_EXPIRY_ID = 'deadline-expiry';

/** One approval queue per funding line, consumed by that line's approval consumer. */
export const LEDGER_QUEUES: QueueSpec[] = [
  ...FUNDING_LINES.map((line) => ({
    id: approvalQueueId(line),
    urlEnv: approvalQueueUrlEnv(line),
    visibilityTimeoutSeconds: 6 * CONSUMER_TIMEOUT_SECONDS,
    maxReceiveCount: MAX_RECEIVE_COUNT,
    deadLetterRetentionDays: 14,
  })),
];

/** The approval consumers (one per funding line), the outbox relay and the deadline expiry. */
export const LEDGER_FUNCTIONS: FunctionSpec[] = [
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
  {
    id: DEADLINE_EXPIRY_ID,
    entry: 'functions/approvals/deadline-expiry.ts',
    // Daily at 00:05 in Vietnam (the CDK app applies Asia/Ho_Chi_Minh): the first run after a deadline
    // day ends. Locally hourly; decisions and postings meeting a passed deadline expire it on the spot.
    trigger: { kind: 'schedule', expression: 'cron(5 0 * * ? *)', localIntervalSeconds: 3600 },
    timeoutSeconds: 300,
    environment: {},
    // Reads pending requests and their allocations; writes the expiry (request, allocation, claims).
    table: 'read-write',
    sendsTo: [],
  },
];
