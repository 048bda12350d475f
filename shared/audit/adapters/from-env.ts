import { sharedDocumentClient } from '../../platform/aws/aws-clients.ts';
import { tableName } from '../../platform/config/runtime-config.ts';
import type { AuditStore } from '../app/ports.ts';
import { DynamoAuditRepository } from './audit-repository.ts';

/** The audit side's store (its page cursors are bare positions: the HTTP edge signs them for clients). */
export const auditStoreFromEnv = (): AuditStore =>
  new DynamoAuditRepository(sharedDocumentClient(), tableName());
