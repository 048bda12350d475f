import type { BundledFile } from './bundled-file.ts';
import type { RouteSpec } from './http/route-spec.ts';
import {
  type KeyAttributes,
  PRIMARY_KEY,
  TABLE_INDEXES,
  type TableIndex,
  TIME_TO_LIVE_ATTRIBUTE,
} from './table/keys.ts';

/**
 * The vocabulary of the system's resources and wiring: the table, queue and function declarations
 * each feature's topology fills in (shared/topology.ts composes them), read by both the CDK app
 * (infra/) and the local runtime (local/), so the two cannot drift apart.
 */

export interface TableSpec extends KeyAttributes {
  id: string;
  timeToLiveAttribute: string;
  indexes: readonly TableIndex[];
}

/**
 * Single-table design: its keys, indexes and item formats are declared in platform/table/keys.ts
 * (README "DynamoDB table design").
 */
export const TABLE: TableSpec = {
  id: 'Ledger',
  ...PRIMARY_KEY,
  timeToLiveAttribute: TIME_TO_LIVE_ATTRIBUTE,
  indexes: TABLE_INDEXES,
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
   * subscription items only (the public confirmation route). `alerts`: get and update alert items
   * only (the public acknowledgement link).
   */
  table: 'none' | 'read' | 'read-write' | 'outbox' | 'subscriptions' | 'alerts';
  /** Queues the function sends to. */
  sendsTo: string[];
  /**
   * Access to the documents bucket (RouteSpec.documents): gets DOCUMENTS_BUCKET and that permission only;
   * `imports-read` reads import rows (GetObject under `imports/` only), the import worker's.
   */
  documents?: 'read' | 'write' | 'imports' | 'imports-read';
  /**
   * Access to the digest-anchors bucket (the daily digests kept outside the table): `write` puts new
   * documents (the digest job; the bucket refuses any overwrite or delete), `read` gets and lists them
   * (verification). Gets DIGEST_ANCHORS_BUCKET (and, to write, the retention in years).
   */
  anchors?: 'read' | 'write';
  /**
   * Sends e-mail through Amazon SES (the alert mailer): in AWS it needs ses:SendEmail and
   * ses:SendRawEmail on the sender identity, and SENDER_EMAIL in its environment.
   */
  sendsEmail?: boolean;
  /** Environment variables filled from managed secrets (Secrets Manager in AWS, files under DATA_DIR locally). */
  secrets?: string[];
  /** Environment variables filled from the deployment's settings (CDK context in AWS, the environment locally). */
  settings?: string[];
  /**
   * Gets the deployment's public URLs, for links it e-mails: DASHBOARD_URL (the dashboard) and API_URL
   * (the API), set by the stateless stack in AWS and by the local runtime once its gateway listens.
   */
  publicUrls?: boolean;
  /** Records auditors' reads in the audit log: needs PutItem on the `AUDITLOG` partition even when read-only. */
  auditTrail?: boolean;
  /**
   * Files the function reads at run time besides its code (fonts): copied from the repository into its
   * bundle after esbuild (infra), read from the repository locally (platform/bundled-file.ts).
   */
  bundleFiles?: readonly BundledFile[];
}

/** Environment variable through which functions receive the table name. */
/** The dashboard's public URL (`https://<id>.cloudfront.net`), for functions that declare `publicUrls`. */
export const DASHBOARD_URL_ENV = 'DASHBOARD_URL';
/** The API's public URL (`https://<id>.execute-api.<region>.amazonaws.com`), for functions that declare `publicUrls`. */
export const API_URL_ENV = 'API_URL';

export const TABLE_NAME_ENV = 'TABLE_NAME';

/** Environment variable holding the key that signs page cursors (a secret in AWS, a file locally). */
export const CURSOR_SECRET_ENV = 'CURSOR_SECRET';

/** Receives of a queue message before SQS moves it to the queue's dead-letter queue. */
export const MAX_RECEIVE_COUNT = 5;

/** The service name on every log entry and trace (POWERTOOLS_SERVICE_NAME in AWS). */
export const SERVICE_NAME = 'giai-ngan';

/** The CloudWatch namespace of the functions' business metrics (POWERTOOLS_METRICS_NAMESPACE in AWS). */
export const METRICS_NAMESPACE = 'GiaiNgan';
