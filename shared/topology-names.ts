import type { FundingLine } from './domain/funding-line.ts';

/** Names shared by the topology and the route declarations (kept apart to avoid an import cycle). */
export const approvalQueueId = (line: FundingLine) => `approvals-${line}`;
export const approvalQueueUrlEnv = (line: FundingLine) => `APPROVALS_${line.toUpperCase()}_QUEUE_URL`;
