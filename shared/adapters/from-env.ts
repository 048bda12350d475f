import type { AuditStore } from '../app/audit-ports.ts';
import type { ApprovalOutbox, ApprovalPublisher, LedgerStore } from '../app/ports.ts';
import type { TargetStore } from '../app/target-ports.ts';
import { approvalQueueUrls, tableName } from '../config/runtime-config.ts';
import { DynamoApprovalOutbox } from './approval-outbox-repository.ts';
import { ApprovalQueuePublisher } from './approval-queue-publisher.ts';
import { DynamoAuditRepository } from './audit-repository.ts';
import { sharedDocumentClient, sharedSqsClient } from './aws-clients.ts';
import { DynamoLedgerRepository } from './ledger-repository.ts';
import { DynamoTargetRepository } from './target-repository.ts';

/** The ledger store of a function, wired from its environment (read once, at init). */
export const ledgerStoreFromEnv = (): LedgerStore =>
  new DynamoLedgerRepository(sharedDocumentClient(), tableName());

/** The audit side's store (its page cursors are bare positions: the HTTP edge signs them for clients). */
export const auditStoreFromEnv = (): AuditStore =>
  new DynamoAuditRepository(sharedDocumentClient(), tableName());

export const approvalPublisherFromEnv = (): ApprovalPublisher =>
  new ApprovalQueuePublisher(sharedSqsClient(), approvalQueueUrls());

/** The plan targets' store of a function, wired from its environment (read once, at init). */
export const targetStoreFromEnv = (): TargetStore =>
  new DynamoTargetRepository(sharedDocumentClient(), tableName());

/** The approval-event outbox on the function's table. */
export const approvalOutboxFromEnv = (): ApprovalOutbox =>
  new DynamoApprovalOutbox(sharedDocumentClient(), tableName());
