import { describe, expect, it } from 'vitest';
import { createContract, getContract } from '../../shared/ledger/app/contracts.ts';
import { submitRequest } from '../../shared/ledger/app/requests.ts';
import { imbalance } from '../../shared/ledger/domain/ledger-entry.ts';
import { buildStatement } from '../../shared/ledger/domain/statement.ts';
import { approvalPolicies } from '../../shared/platform/config/approval-policies/index.ts';
import { contractPolicy } from '../../shared/platform/config/contract-policy/index.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../../shared/platform/tenancy.ts';
import {
  CONTRACTOR,
  givenContract,
  givenContractPosting,
  inMemoryPayees,
} from '../support/contract-fixtures.ts';
import { actor, finance, givenAllocation, testEnv } from '../support/fixtures.ts';
import { InMemoryLedgerStore } from './support/in-memory-ledger-store.ts';

const J = UPGRADE_DEFAULT_JURISDICTION;

const setUp = async () => {
  const store = new InMemoryLedgerStore();
  const deps = { store, ...testEnv };
  const allocation = await givenAllocation(store, { amountVnd: 2_000_000_000 });
  const contract = await givenContract(deps, allocation.id);
  return { store, deps, allocation, contract };
};

const submit = (deps: Awaited<ReturnType<typeof setUp>>['deps'], body: Record<string, unknown>) =>
  submitRequest(
    { ...deps, policies: approvalPolicies },
    finance,
    { purpose: 'Contract work', amountVnd: 1, ...body } as never,
    crypto.randomUUID(),
  );

describe('advances and payments on a contract, through the use cases', () => {
  it('records a contract with the register’s payee, its allocation’s scope and the policy’s limit', async () => {
    const { contract, allocation } = await setUp();
    expect(contract).toMatchObject({
      allocationId: allocation.id,
      commune: allocation.commune,
      jurisdiction: J,
      payee: { name: CONTRACTOR.name, kind: 'contractor' },
      advanceLimitVnd: 300_000_000,
      advanceGuaranteeRequired: true,
    });
  });

  it('refuses a contract with a payee the register does not hold, in the allocation’s jurisdiction', async () => {
    const { deps, allocation } = await setUp();
    const elsewhere = inMemoryPayees([{ ...CONTRACTOR, jurisdiction: 'da-nang' }]);
    await expect(
      createContract({ ...deps, payees: elsewhere, policy: contractPolicy }, finance, {
        allocationId: allocation.id,
        number: 'x',
        signedOn: '2024-03-01',
        payeeId: CONTRACTOR.id,
        valueVnd: 1,
        kind: 'goods',
      }),
    ).rejects.toMatchObject({ code: 'not_found' });
  });

  it('walks an advance to full recovery: the allocation counts cash out, the contract gross and recovery', async () => {
    const { store, deps, allocation, contract } = await setUp();
    const c = { contractId: contract.id };

    await givenContractPosting(deps, { ...c, kind: 'advance', amountVnd: 300_000_000 });
    await givenContractPosting(deps, {
      ...c,
      kind: 'payment',
      amountVnd: 400_000_000,
      recoveryVnd: 150_000_000,
    });
    await givenContractPosting(deps, {
      ...c,
      kind: 'payment',
      amountVnd: 400_000_000,
      recoveryVnd: 150_000_000,
    });

    expect(await getContract(store, finance, contract.id)).toMatchObject({
      paidVnd: 800_000_000,
      advancedVnd: 300_000_000,
      recoveredVnd: 300_000_000,
    });
    const stored = await store.getAllocation(J, allocation.id);
    // Cash out: 300 advanced + 250 + 250 net.
    expect(stored).toMatchObject({ disbursedVnd: 800_000_000, reservedVnd: 0 });
    const entries = await store.listEntries(J, allocation.id);
    expect(entries.map((e) => e.kind)).toEqual(['advance', 'payment', 'payment']);
    expect(entries.every((e) => imbalance(e) === 0)).toBe(true);
    const statement = buildStatement(stored as never, entries);
    expect(statement.totalsByKind).toEqual({
      directVnd: 0,
      advancesVnd: 300_000_000,
      paymentsNetVnd: 500_000_000,
      paymentsGrossVnd: 800_000_000,
      recoveriesVnd: 300_000_000,
    });
    expect(statement.agreesWithAllocation).toBe(true);
  });

  it('refuses each rule with its code and writes nothing', async () => {
    const { store, deps, allocation, contract } = await setUp();
    const c = { contractId: contract.id };
    await expect(submit(deps, { ...c, kind: 'advance', amountVnd: 300_000_001 })).rejects.toMatchObject({
      code: 'advance_limit_exceeded',
    });
    await givenContractPosting(deps, { ...c, kind: 'advance', amountVnd: 300_000_000 });
    await expect(
      submit(deps, { ...c, kind: 'payment', amountVnd: 400_000_000, recoveryVnd: 100_000_000 }),
    ).rejects.toMatchObject({ code: 'recovery_invalid' });
    await expect(
      submit(deps, { ...c, kind: 'payment', amountVnd: 1_000_000_001, recoveryVnd: 300_000_000 }),
    ).rejects.toMatchObject({ code: 'contract_value_exceeded' });
    expect(await store.getAllocation(J, allocation.id)).toMatchObject({ reservedVnd: 0 });
    expect(await getContract(store, finance, contract.id)).toMatchObject({
      pendingPaymentVnd: 0,
      pendingAdvanceVnd: 0,
    });
  });

  it('hides another jurisdiction’s contract and refuses a commune-scoped caller another commune’s', async () => {
    const { store, contract } = await setUp();
    await expect(
      getContract(store, { ...actor('x', 'finance'), jurisdiction: 'da-nang' }, contract.id),
    ).rejects.toMatchObject({ code: 'not_found' });
    await expect(
      getContract(store, actor('y', 'finance'), contract.id).then(() =>
        getContract(store, { ...actor('z', 'finance'), commune: 'Dang' }, contract.id),
      ),
    ).rejects.toMatchObject({ status: 403 });
  });
});
