import type { ApprovalPublisher, LedgerStore } from '../app/ports.ts';
import { approvalQueueUrls, tableName } from '../config/runtime-config.ts';
import { ApprovalQueuePublisher } from './approval-queue-publisher.ts';
import { sharedDocumentClient, sharedSqsClient } from './aws-clients.ts';
import { DynamoLedgerRepository } from './ledger-repository.ts';

/** The ledger store of a function, wired from its environment (read once, at init). */
export const ledgerStoreFromEnv = (): LedgerStore =>
  new DynamoLedgerRepository(sharedDocumentClient(), tableName());

export const approvalPublisherFromEnv = (): ApprovalPublisher =>
  new ApprovalQueuePublisher(sharedSqsClient(), approvalQueueUrls());
