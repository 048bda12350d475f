import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { IdempotencyRecord, LedgerStore } from '../../../shared/ledger/app/ports.ts';
import {
  type Contract,
  type ContractAmendment,
  ContractValueExceededError,
  claimOf,
  commitClaim,
} from '../../../shared/ledger/domain/contract.ts';
import type { DisbursementRequest } from '../../../shared/ledger/domain/disbursement-request.ts';
import { buildDisbursementEntry, imbalance } from '../../../shared/ledger/domain/ledger-entry.ts';
import { contractPolicy } from '../../../shared/platform/config/contract-policy/index.ts';
import { ServiceUnavailableError } from '../../../shared/platform/errors.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../../../shared/platform/tenancy.ts';
import { aSignedContract } from '../../unit/support/contract-builders.ts';
import { anAllocation, aRequest, T0 } from '../../unit/support/domain-fixtures.ts';
import { retryingTransient } from '../retrying-transient.ts';

/**
 * The contract side of the {@link LedgerStore} port, run against the in-memory fake and the DynamoDB
 * adapter: contracts kept in their jurisdiction, and a contract request's claim reserved on submission
 * (conditional on the contract's version), moved on posting and given back on release, in the same
 * all-or-nothing writes as the allocation's.
 */

const J = UPGRADE_DEFAULT_JURISDICTION;
const uid = () => randomUUID();

const aRecord = (): IdempotencyRecord => ({
  jurisdiction: J,
  scope: `contract-suite#${uid()}`,
  fingerprint: 'f',
  result: {},
  createdAt: T0,
});

/** A construction contract of 1,000,000,000 VND on the allocation, under the shipped policy (30% advance). */
const aContract = (allocationId: string, overrides: Partial<Contract> = {}): Contract =>
  aSignedContract(
    contractPolicy,
    {
      id: uid(),
      allocationId,
      kind: 'construction',
      payee: { name: 'Công ty Xây dựng A', kind: 'contractor' },
    },
    overrides,
  );

export const describeContractStoreContract = (
  name: string,
  makeStore: () => LedgerStore | Promise<LedgerStore>,
) => {
  /** An allocation of 2,000,000,000 VND and a contract of 1,000,000,000 on it (30% advance limit). */
  const given = async (store: LedgerStore, contractOverrides: Partial<Contract> = {}) => {
    const allocation = anAllocation({ id: uid(), assignedVnd: 2_000_000_000, availableVnd: 2_000_000_000 });
    await store.createAllocation(allocation);
    const contract = aContract(allocation.id, contractOverrides);
    await store.createContract(contract);
    return { allocation, contract };
  };

  /** Submits a contract request checked on the contract as stored now; returns the request. */
  const submit = async (store: LedgerStore, contract: Contract, fields: Partial<DisbursementRequest>) => {
    const request = aRequest({
      id: uid(),
      allocationId: contract.allocationId,
      contractId: contract.id,
      payee: contract.payee,
      ...fields,
    });
    const current = (await store.getContract(J, contract.id)) as Contract;
    const claim = claimOf(request);
    if (!claim) throw new Error('arrange failed: not a contract request');
    await store.submitRequest(request, aRecord(), {
      committed: commitClaim(current, claim),
      expectedVersion: current.version,
    });
    return request;
  };

  /** Posts a pending request at its allocation's head. */
  const post = async (store: LedgerStore, request: DisbursementRequest) => {
    const allocation = await store.getAllocation(J, request.allocationId);
    if (!allocation) throw new Error('arrange failed: no allocation');
    const { nextLevel: _, pendingSince: __, ...rest } = request;
    const disbursed = { ...rest, status: 'disbursed' as const, version: request.version + 1 };
    const entry = buildDisbursementEntry(allocation, disbursed, T0);
    return { posted: await store.postDisbursement(disbursed, request.version, entry), entry };
  };

  describe(`${name} keeps the contract side of the LedgerStore contract`, () => {
    it('creates a contract and reads it back in its jurisdiction only', async () => {
      const store = await makeStore();
      const { contract } = await given(store);

      expect(await store.getContract(J, contract.id)).toEqual(contract);
      expect(await store.getContract('da-nang', contract.id)).toBeUndefined();
      expect(await store.getContract(J, uid())).toBeUndefined();
    });

    it('lists contracts by allocation, by year and commune, within their jurisdiction, by signing date', async () => {
      const store = await makeStore();
      const commune = `Xã ${uid()}`;
      const allocationId = uid();
      const later = aContract(allocationId, { commune, signedOn: '2024-06-01' });
      const earlier = aContract(allocationId, { commune, signedOn: '2024-02-01' });
      const nextYear = aContract(uid(), { commune, fiscalYear: 2025, signedOn: '2025-01-10' });
      const elsewhere = aContract(allocationId, { commune, jurisdiction: 'da-nang' });
      for (const c of [later, earlier, nextYear, elsewhere]) await store.createContract(c);

      expect(await store.listContracts({ jurisdiction: J, allocationId })).toEqual([earlier, later]);
      expect(await store.listContracts({ jurisdiction: J, fiscalYear: 2024, commune })).toEqual([
        earlier,
        later,
      ]);
      expect(await store.listContracts({ jurisdiction: J, commune })).toEqual([earlier, later, nextYear]);
      expect(await store.listContracts({ jurisdiction: J, fiscalYear: 2025, commune })).toEqual([nextYear]);
      expect(await store.listContracts({ jurisdiction: J, allocationId, fiscalYear: 2025 })).toEqual([]);
      expect(await store.listContracts({ jurisdiction: J, allocationId, commune: 'Elsewhere' })).toEqual([]);
      expect(await store.listContracts({ jurisdiction: 'da-nang', commune })).toEqual([elsewhere]);
    });

    it('reserves an advance on submission, moves it to advanced on posting, with the receivable’s legs', async () => {
      const store = await makeStore();
      const { allocation, contract } = await given(store);

      const request = await submit(store, contract, { kind: 'advance', amountVnd: 300_000_000 });
      expect(await store.getContract(J, contract.id)).toMatchObject({
        pendingAdvanceVnd: 300_000_000,
        version: 2,
      });
      expect(await store.getAllocation(J, allocation.id)).toMatchObject({ reservedVnd: 300_000_000 });

      const { posted, entry } = await post(store, request);

      expect(posted).toBe(true);
      expect(await store.getContract(J, contract.id)).toMatchObject({
        pendingAdvanceVnd: 0,
        advancedVnd: 300_000_000,
      });
      expect(await store.getAllocation(J, allocation.id)).toMatchObject({
        reservedVnd: 0,
        disbursedVnd: 300_000_000,
        advancedVnd: 300_000_000,
      });
      expect((await store.getAllocation(J, allocation.id))?.recoveredVnd).toBeUndefined();
      expect(entry).toMatchObject({ kind: 'advance', contractId: contract.id, amountVnd: 300_000_000 });
      expect(imbalance(entry)).toBe(0);
      expect(await store.listEntries(J, allocation.id)).toEqual([entry]);
    });

    it('reserves a payment’s net on the allocation and its gross and recovery on the contract, and posts them', async () => {
      const store = await makeStore();
      const { allocation, contract } = await given(store, { advancedVnd: 300_000_000 });

      const request = await submit(store, contract, {
        kind: 'payment',
        amountVnd: 400_000_000,
        recoveryVnd: 150_000_000,
      });
      expect(await store.getAllocation(J, allocation.id)).toMatchObject({ reservedVnd: 250_000_000 });
      expect(await store.getContract(J, contract.id)).toMatchObject({
        pendingPaymentVnd: 400_000_000,
        pendingRecoveryVnd: 150_000_000,
      });

      const { posted, entry } = await post(store, request);

      expect(posted).toBe(true);
      expect(await store.getContract(J, contract.id)).toMatchObject({
        paidVnd: 400_000_000,
        recoveredVnd: 150_000_000,
        pendingPaymentVnd: 0,
        pendingRecoveryVnd: 0,
      });
      expect(await store.getAllocation(J, allocation.id)).toMatchObject({
        disbursedVnd: 250_000_000,
        recoveredVnd: 150_000_000,
      });
      expect(entry).toMatchObject({ kind: 'payment', amountVnd: 250_000_000, grossVnd: 400_000_000 });
    });

    it('gives a rejected claim back to the contract with the allocation’s reservation', async () => {
      const store = await makeStore();
      const { allocation, contract } = await given(store, { advancedVnd: 300_000_000 });
      const request = await submit(store, contract, {
        kind: 'payment',
        amountVnd: 400_000_000,
        recoveryVnd: 200_000_000,
      });
      const { nextLevel: _, pendingSince: __, ...rest } = request;

      const released = await store.closeAndRelease({ ...rest, status: 'rejected', version: 2 }, 1);

      expect(released).toBe(true);
      expect(await store.getContract(J, contract.id)).toMatchObject({
        pendingPaymentVnd: 0,
        pendingRecoveryVnd: 0,
        paidVnd: 0,
      });
      expect(await store.getAllocation(J, allocation.id)).toMatchObject({ reservedVnd: 0 });
    });

    it('refuses a submission checked on a stale contract: the rule’s error when it no longer fits, else a retry', async () => {
      const store = await makeStore();
      const { allocation, contract } = await given(store);
      const stale = (await store.getContract(J, contract.id)) as Contract;
      await submit(store, contract, { kind: 'payment', amountVnd: 700_000_000 });
      const after = await store.getContract(J, contract.id);

      const tooMuch = aRequest({
        id: uid(),
        allocationId: allocation.id,
        contractId: contract.id,
        kind: 'payment',
        amountVnd: 400_000_000,
        recoveryVnd: 0,
      });
      const claim = claimOf(tooMuch);
      if (!claim) throw new Error('arrange failed');
      await expect(
        store.submitRequest(tooMuch, aRecord(), {
          committed: commitClaim(stale, claim),
          expectedVersion: stale.version,
        }),
      ).rejects.toBeInstanceOf(ContractValueExceededError);
      const fits = { ...tooMuch, id: uid(), amountVnd: 300_000_000 };
      await expect(
        store.submitRequest(fits, aRecord(), {
          committed: commitClaim(stale, { ...claim, amountVnd: 300_000_000 }),
          expectedVersion: stale.version,
        }),
      ).rejects.toBeInstanceOf(ServiceUnavailableError);

      expect(await store.getContract(J, contract.id)).toEqual(after);
      expect(await store.getRequest(J, tooMuch.id)).toBeUndefined();
      expect(await store.getRequest(J, fits.id)).toBeUndefined();
    });

    it('lets only as many racing payments pass as the contract’s value has room for', async () => {
      const store = await makeStore();
      const { contract } = await given(store);

      const results = await Promise.allSettled(
        [600_000_000, 600_000_000, 400_000_000].map((amountVnd) =>
          retryingTransient(() => submit(store, contract, { kind: 'payment', amountVnd, recoveryVnd: 0 })),
        ),
      );

      const stored = (await store.getContract(J, contract.id)) as Contract;
      expect(stored.pendingPaymentVnd).toBeLessThanOrEqual(1_000_000_000);
      expect(results.some((r) => r.status === 'fulfilled')).toBe(true);
      for (const r of results) {
        if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(ContractValueExceededError);
      }
    });

    it('amends a contract over the version it was read at, and keeps the amendment', async () => {
      const store = await makeStore();
      const { contract } = await given(store);
      const amendment: ContractAmendment = {
        id: uid(),
        jurisdiction: J,
        contractId: contract.id,
        decisionNumber: '12/QĐ',
        reason: 'Bổ sung khối lượng',
        previousValueVnd: contract.valueVnd,
        valueVnd: 1_200_000_000,
        by: 'maker-1',
        at: T0,
      };
      const amended = { ...contract, valueVnd: 1_200_000_000, version: 2 };

      expect(await store.amendContract(amended, 1, amendment)).toBe(true);
      expect(await store.amendContract({ ...amended, valueVnd: 5 }, 1, { ...amendment, id: uid() })).toBe(
        false,
      );
      expect(await store.getContract(J, contract.id)).toEqual(amended);
    });
  });
};
