import type { AuditStore } from '../app/audit-ports.ts';
import type { ApprovalOutbox, ApprovalPublisher, LedgerStore } from '../app/ports.ts';
import type { TargetStore } from '../app/target-ports.ts';
import { approvalQueueUrls, requireEnv, tableName } from '../config/runtime-config.ts';
import { CURSOR_SECRET_ENV } from '../topology-names.ts';
import { DynamoApprovalOutbox } from './approval-outbox-repository.ts';
import { ApprovalQueuePublisher } from './approval-queue-publisher.ts';
import { DynamoAuditRepository } from './audit-repository.ts';
import { sharedDocumentClient, sharedSqsClient } from './aws-clients.ts';
import { DynamoLedgerRepository } from './ledger-repository.ts';
import { createCursorCodec } from './signed-cursor.ts';
import { DynamoTargetRepository } from './target-repository.ts';

/** The ledger store of a function, wired from its environment (read once, at init). */
export const ledgerStoreFromEnv = (): LedgerStore =>
  new DynamoLedgerRepository(sharedDocumentClient(), tableName());

/**
 * The audit side's store. A function serving paged queries signs its cursors with the secret in
 * CURSOR_SECRET (declared as a secret of its route, so the deployment provides it).
 */
export const auditStoreFromEnv = (options: { pagedQueries?: boolean } = {}): AuditStore =>
  new DynamoAuditRepository(
    sharedDocumentClient(),
    tableName(),
    options.pagedQueries ? createCursorCodec(requireEnv(CURSOR_SECRET_ENV)) : undefined,
  );

export const approvalPublisherFromEnv = (): ApprovalPublisher =>
  new ApprovalQueuePublisher(sharedSqsClient(), approvalQueueUrls());

/** The plan targets' store of a function, wired from its environment (read once, at init). */
export const targetStoreFromEnv = (): TargetStore =>
  new DynamoTargetRepository(sharedDocumentClient(), tableName());

/** The approval-event outbox on the function's table. */
export const approvalOutboxFromEnv = (): ApprovalOutbox =>
  new DynamoApprovalOutbox(sharedDocumentClient(), tableName());
