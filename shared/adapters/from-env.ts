import type { AuditStore } from '../app/audit-ports.ts';
import type { ApprovalPublisher, LedgerStore } from '../app/ports.ts';
import { approvalQueueUrls, requireEnv, tableName } from '../config/runtime-config.ts';
import { ApprovalQueuePublisher } from './approval-queue-publisher.ts';
import { DynamoAuditRepository } from './audit-repository.ts';
import { sharedDocumentClient, sharedSqsClient } from './aws-clients.ts';
import { DynamoLedgerRepository } from './ledger-repository.ts';
import { createCursorCodec } from './signed-cursor.ts';

/** The ledger store of a function, wired from its environment (read once, at init). */
export const ledgerStoreFromEnv = (): LedgerStore =>
  new DynamoLedgerRepository(sharedDocumentClient(), tableName());

/** The audit side's store; paged queries sign their cursors with CURSOR_SECRET. */
export const auditStoreFromEnv = (): AuditStore =>
  new DynamoAuditRepository(
    sharedDocumentClient(),
    tableName(),
    createCursorCodec(requireEnv('CURSOR_SECRET')),
  );

export const approvalPublisherFromEnv = (): ApprovalPublisher =>
  new ApprovalQueuePublisher(sharedSqsClient(), approvalQueueUrls());
