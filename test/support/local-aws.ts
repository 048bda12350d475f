import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, NumberValue, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { localDynamoClient, localSqsClient } from '../../local/aws-local.ts';
import { ensureQueues, ensureTable } from '../../local/provision.ts';
import { DynamoLedgerRepository } from '../../shared/ledger/adapters/ledger-repository.ts';
import { createDocumentClient } from '../../shared/platform/aws/aws-clients.ts';
import { allocationKeys } from '../../shared/platform/table/keys.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../../shared/platform/tenancy.ts';

/** The jurisdiction of this file's data (its fixtures name none: the upgrade default). */
const J = UPGRADE_DEFAULT_JURISDICTION;

/** A fresh table (and queues) on the shared local servers, named for one test file (or `name`). */
export const freshTable = async (label: string, name?: string) => {
  const dynamoEndpoint = inject('dynamoEndpoint');
  const raw = localDynamoClient(dynamoEndpoint);
  const tableName = name ?? `${label}-${randomUUID().slice(0, 8)}`;
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

/**
 * Sets number attributes of an allocation item straight in the table, as exact decimals (past 2^53
 * too), as older code or a hand edit could have left them.
 */
export const setAllocationByHand = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  allocationId: string,
  values: Record<string, number | string>,
) => {
  const names = Object.keys(values);
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: allocationKeys.key(J, allocationId),
      UpdateExpression: `SET ${names.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#f${i}`, n])),
      ExpressionAttributeValues: Object.fromEntries(
        names.map((n, i) => [`:v${i}`, NumberValue.from(String(values[n]))]),
      ),
    }),
  );
};
