import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { localDynamoClient, localSqsClient } from '../../local/aws-local.ts';
import { ensureQueues, ensureTable } from '../../local/provision.ts';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoLedgerRepository } from '../../shared/adapters/ledger-repository.ts';

/** A fresh table (and queues) on the shared local servers, named for one test file. */
export const freshTable = async (label: string) => {
  const dynamoEndpoint = inject('dynamoEndpoint');
  const raw = localDynamoClient(dynamoEndpoint);
  const tableName = `${label}-${randomUUID().slice(0, 8)}`;
  await ensureTable(raw, tableName);
  const db = createDocumentClient(raw);
  return { raw, db, tableName, store: new DynamoLedgerRepository(db, tableName) };
};

export const freshQueues = async (
  label: string,
  overrides: { visibilityTimeoutSeconds?: number; maxReceiveCount?: number },
) => {
  const sqs = localSqsClient(inject('sqsEndpoint'));
  const queues = await ensureQueues(sqs, `${label}-${randomUUID().slice(0, 8)}`, overrides);
  return { sqs, queues };
};
