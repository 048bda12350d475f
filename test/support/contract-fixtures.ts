import { randomUUID } from 'node:crypto';
import { demoOutputCatalogue } from '../../local/demo-targets.ts';
import { applyApprovalEvent } from '../../shared/ledger/app/apply-approval-event.ts';
import { createContract, type NewContract, type PayeeLookup } from '../../shared/ledger/app/contracts.ts';
import type { LedgerStore } from '../../shared/ledger/app/ports.ts';
import { type NewRequest, submitRequest } from '../../shared/ledger/app/requests.ts';
import type { Contract } from '../../shared/ledger/domain/contract.ts';
import { taxCodeCheckDigit, taxCodeProblem } from '../../shared/payees/domain/payee.ts';
import { approvalPolicies } from '../../shared/platform/config/approval-policies/index.ts';
import { contractPolicy } from '../../shared/platform/config/contract-policy/index.ts';
import { UPGRADE_DEFAULT_JURISDICTION } from '../../shared/platform/tenancy.ts';
import { approvalEvents, finance } from './fixtures.ts';

/** The contractor the fixtures' contracts are signed with, in the upgrade default's register. */
export const CONTRACTOR = {
  id: 'payee-contractor-1',
  kind: 'contractor',
  name: 'Công ty Xây dựng Tây Giang',
};

/** A tax code of the register's format with a valid check digit, different on each call. */
export const aTaxCode = (): string => {
  for (;;) {
    const nine = String(Math.floor(Math.random() * 1e9)).padStart(9, '0');
    const digit = taxCodeCheckDigit(nine);
    // One draw in a hundred starts "00", which no province has: the register refuses it.
    if (digit !== undefined && taxCodeProblem(`${nine}${digit}`) === undefined) return `${nine}${digit}`;
  }
};

/** The body that registers the fixtures' contractor in a real register (`createPayee`). */
export const CONTRACTOR_BODY = {
  kind: 'contractor' as const,
  name: CONTRACTOR.name,
  taxCode: aTaxCode(),
  bankAccount: { number: '3704205123456', bankCode: '970405' },
  commune: 'A Tiêng',
};

/** A payee register in memory (the structural port contracts read; shared/payees' store in the service). */
export const inMemoryPayees = (
  payees: readonly { jurisdiction?: string; id: string; kind: string; name: string }[] = [CONTRACTOR],
): PayeeLookup => ({
  getPayee: async (jurisdiction, id) => {
    const found = payees.find(
      (p) => p.id === id && (p.jurisdiction ?? UPGRADE_DEFAULT_JURISDICTION) === jurisdiction,
    );
    return found && { id: found.id, kind: found.kind, name: found.name };
  },
});

type Deps = { store: LedgerStore; now: () => Date; newId: () => string; payees?: PayeeLookup };

/** A contract recorded through the use case, by finance, with the fixtures' contractor (1,000,000,000 VND of works). */
export const givenContract = async (
  deps: Deps,
  allocationId: string,
  overrides: Partial<NewContract> = {},
): Promise<Contract> =>
  (
    await createContract({ payees: inMemoryPayees(), ...deps, policy: contractPolicy }, finance, {
      allocationId,
      number: '01/2024/HĐXD',
      signedOn: '2024-03-01',
      payeeId: CONTRACTOR.id,
      valueVnd: 1_000_000_000,
      kind: 'construction',
      ...overrides,
    })
  ).result;

/**
 * Submits a request (an advance or payment body) and approves it at every level: one posting.
 * `beforeApproval` runs between submission and the first decision (e.g. to file the dossier's documents).
 */
export const givenContractPosting = async (
  deps: Deps,
  body: Omit<NewRequest, 'purpose'>,
  beforeApproval?: (requestId: string) => Promise<void>,
) => {
  const submitted = await submitRequest(
    { catalogue: demoOutputCatalogue, ...deps, policies: approvalPolicies },
    finance,
    { purpose: 'Contract work', ...body },
    randomUUID(),
  );
  await beforeApproval?.(submitted.result.id);
  for (const event of approvalEvents(deps, submitted.result)) {
    await applyApprovalEvent({ ...deps, policies: approvalPolicies, sleep: async () => {} }, event);
  }
  return submitted.result;
};
