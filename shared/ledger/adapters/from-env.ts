import { sharedDocumentClient, sharedSqsClient } from '../../platform/aws/aws-clients.ts';
import { requireEnv, tableName } from '../../platform/config/runtime-config.ts';
import type { ApprovalOutbox, ApprovalPublisher, LedgerStore } from '../app/ports.ts';
import { FUNDING_LINES, type FundingLine } from '../domain/funding-line.ts';
import { approvalQueueUrlEnv } from '../topology.ts';
import { DynamoApprovalOutbox } from './approval-outbox-repository.ts';
import { ApprovalQueuePublisher } from './approval-queue-publisher.ts';
import { DynamoLedgerRepository } from './ledger-repository.ts';

/** The ledger store of a function, wired from its environment (read once, at init). */
export const ledgerStoreFromEnv = (): LedgerStore =>
  new DynamoLedgerRepository(sharedDocumentClient(), tableName());

export const approvalPublisherFromEnv = (): ApprovalPublisher =>
  new ApprovalQueuePublisher(sharedSqsClient(), approvalQueueUrls());

/** The approval-event outbox on the function's table. */
export const approvalOutboxFromEnv = (): ApprovalOutbox =>
  new DynamoApprovalOutbox(sharedDocumentClient(), tableName());

/** The approval queues' URLs, one per funding line. */
const approvalQueueUrls = (): Record<FundingLine, string> =>
  Object.fromEntries(FUNDING_LINES.map((line) => [line, requireEnv(approvalQueueUrlEnv(line))])) as Record<
    FundingLine,
    string
  >;

/** The funding line an approval consumer serves (FUNDING_LINE). */
export const fundingLineFromEnv = (): FundingLine => {
  const line = requireEnv('FUNDING_LINE');
  if (!(FUNDING_LINES as readonly string[]).includes(line)) {
    throw new Error(`FUNDING_LINE must be one of ${FUNDING_LINES.join(', ')}; got "${line}".`);
  }
  return line as FundingLine;
};
