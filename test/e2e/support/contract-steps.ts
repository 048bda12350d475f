import { randomUUID } from 'node:crypto';
import type { PayeeKind } from '../../../shared/ledger/domain/funding-line.ts';
import { IDENTIFIER_OF_KIND } from '../../../shared/payees/domain/payee.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../../../shared/platform/tenancy.ts';
import { aTaxCode } from '../../support/contract-fixtures.ts';
import { defaultCommune } from './api-steps.ts';
import type { Runtime } from './local-runtime.ts';

/**
 * Registers a payee with `POST /payees` (a finance user of `jurisdiction`) and returns its id: an
 * organisation by a fresh tax code, a household or person by a fresh citizen ID.
 */
export const givenPayee = async (
  rt: Pick<Runtime, 'call' | 'token'>,
  payee: { kind: PayeeKind; name: string },
  jurisdiction = UPGRADE_DEFAULT_JURISDICTION,
): Promise<string> => {
  const identifier =
    IDENTIFIER_OF_KIND[payee.kind] === 'taxCode'
      ? { taxCode: aTaxCode() }
      : { citizenId: String(Math.floor(Math.random() * 1e12)).padStart(12, '0') };
  const res = await rt.call('POST', '/payees', {
    token: await rt.token('finance-payees', ['finance'], { jurisdiction }),
    headers: { 'idempotency-key': randomUUID() },
    body: {
      ...payee,
      ...identifier,
      bankAccount: { number: '3704205123456', bankCode: '970405' },
      commune: defaultCommune(jurisdiction, 2026),
    },
  });
  if (res.status !== 201) throw new Error(`payee not registered: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { id: string }).id;
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
