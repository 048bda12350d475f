import type { FundingLine } from './domain/funding-line.ts';

/** Names shared by the topology and the route declarations (kept apart to avoid an import cycle). */
export const approvalQueueId = (line: FundingLine) => `approvals-${line}`;
export const approvalQueueUrlEnv = (line: FundingLine) => `APPROVALS_${line.toUpperCase()}_QUEUE_URL`;

/** Environment variable holding the key that signs page cursors (a secret in AWS, a file locally). */
export const CURSOR_SECRET_ENV = 'CURSOR_SECRET';

/** Partition key of the audit log's items (read-only functions may write there, and only there). */
export const AUDIT_LOG_PARTITION = 'AUDITLOG';
