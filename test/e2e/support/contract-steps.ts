import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { localDynamoClient } from '../../../local/aws-local.ts';
import { StandInPayeeLookup } from '../../../shared/ledger/adapters/payee-lookup.ts';
import { createDocumentClient } from '../../../shared/platform/aws/aws-clients.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../../../shared/platform/tenancy.ts';
import type { Runtime } from './local-runtime.ts';

/**
 * Registers a payee the contracts' register reads. Until the payee register (shared/payees) is merged,
 * it writes the stand-in's item; at the merge this becomes `POST /payees` and returns its id.
 */
export const givenPayee = async (
  rt: Pick<Runtime, 'dynamoEndpoint' | 'namespace'>,
  payee: { kind: string; name: string },
  jurisdiction = UPGRADE_DEFAULT_JURISDICTION,
): Promise<string> => {
  const id = randomUUID();
  const raw = localDynamoClient(rt.dynamoEndpoint);
  try {
    await createDocumentClient(raw).send(
      new PutCommand({
        TableName: `${rt.namespace}-ledger`,
        Item: { ...StandInPayeeLookup.key(jurisdiction, id), type: 'payee', id, ...payee },
      }),
    );
  } finally {
    raw.destroy();
  }
  return id;
};

/** Contract steps over HTTP, as finance would take them with `token`. */
export const contractSteps = (rt: Runtime, token: () => Promise<string>) => {
  const createContract = async (body: Record<string, unknown>) =>
    rt.call('POST', '/contracts', {
      token: await token(),
      body: { number: '05/2024/HĐXD', signedOn: '2024-03-15', kind: 'construction', ...body },
    });
  const submitOn = async (contractId: string, body: Record<string, unknown>) =>
    rt.call('POST', '/requests', {
      token: await token(),
      headers: { 'idempotency-key': randomUUID() },
      body: { contractId, purpose: 'Thi công đường liên thôn', ...body },
    });
  const getContract = async (id: string) => rt.call('GET', `/contracts/${id}`, { token: await token() });
  return { createContract, submitOn, getContract };
};
