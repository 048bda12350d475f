import { describe, expect, it } from 'vitest';
import { ServiceUnavailableError } from '../../shared/platform/errors.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../../shared/platform/tenancy.ts';
import { describeContractStoreContract } from '../support/contracts/contract-store-contract.ts';
import { describeLedgerStoreContract } from '../support/contracts/ledger-store-contract.ts';
import { anAllocation, aRequest, T0 } from './support/domain-fixtures.ts';
import { InMemoryLedgerStore, LostReplyError, type WriteFault } from './support/in-memory-ledger-store.ts';

/** The jurisdiction of this file's data (its fixtures name none: the upgrade default). */
const J = UPGRADE_DEFAULT_JURISDICTION;

describeLedgerStoreContract('InMemoryLedgerStore', () => new InMemoryLedgerStore());
describeContractStoreContract('InMemoryLedgerStore', () => new InMemoryLedgerStore());

describe('InMemoryLedgerStore, beyond the contract: injected faults', () => {
  it('writes nothing on an injected conflict, and everything on a lost reply', async () => {
    const faults: WriteFault[] = [];
    const store = new InMemoryLedgerStore(() => faults.shift() ?? 'none');
    await store.createAllocation(anAllocation());
    const request = aRequest();
    await store.submitRequest(request, {
      jurisdiction: J,
      scope: 'submit#1',
      fingerprint: 'f',
      result: {},
      createdAt: T0,
    });
    const advanced = { ...request, nextLevel: 'province', version: 2 };

    faults.push('conflict');
    await expect(store.saveApproval(advanced, 1)).rejects.toBeInstanceOf(ServiceUnavailableError);
    const versionAfterConflict = (await store.getRequest(J, request.id))?.version;
    faults.push('lost-reply');
    await expect(store.saveApproval(advanced, 1)).rejects.toBeInstanceOf(LostReplyError);
    const versionAfterLostReply = (await store.getRequest(J, request.id))?.version;

    expect(versionAfterConflict).toBe(1);
    expect(versionAfterLostReply).toBe(2);
  });
});
