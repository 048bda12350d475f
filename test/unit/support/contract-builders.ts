import { type Contract, type ContractPolicy, newContract } from '../../../shared/ledger/domain/contract.ts';
import { T0 } from './domain-fixtures.ts';

type SigningFields = Parameters<typeof newContract>[0];

/**
 * A signed contract of 1,000,000,000 VND on `alloc-1` (A Tiêng, tay-giang) under `policy`: `fields` are
 * what it was signed with (its limit follows them), `overrides` its totals or anything after.
 */
export const aSignedContract = (
  policy: ContractPolicy,
  fields: Partial<SigningFields> = {},
  overrides: Partial<Contract> = {},
): Contract => ({
  ...newContract(
    {
      id: 'c-1',
      jurisdiction: 'tay-giang',
      allocationId: 'alloc-1',
      commune: 'A Tiêng',
      fiscalYear: 2024,
      number: '01/2024/HĐ',
      signedOn: '2024-03-01',
      kind: 'goods',
      payeeId: 'p-1',
      payee: { name: 'Công ty A', kind: 'contractor' },
      valueVnd: 1_000_000_000,
      advanceGuaranteeRequired: true,
      createdAt: T0,
      createdBy: 'maker-1',
      updatedAt: T0,
      ...fields,
    },
    policy,
  ),
  ...overrides,
});
