import { randomUUID } from 'node:crypto';
import { createAllocation, type NewAllocation } from '../../shared/app/allocations.ts';
import type { LedgerStore } from '../../shared/app/ports.ts';
import type { Allocation } from '../../shared/domain/allocation.ts';
import type { Actor } from '../../shared/domain/disbursement-request.ts';

export const actor = (sub: string, ...groups: string[]): Actor => ({ sub, groups });
export const planner = actor('planner-1', 'planner');
export const finance = actor('finance-1', 'finance');

export const testEnv = { now: () => new Date(), newId: () => randomUUID() };

/** Creates an allocation through the use case, as the API would. */
export const givenAllocation = async (
  store: LedgerStore,
  overrides: Partial<NewAllocation> = {},
): Promise<Allocation> => {
  const result = await createAllocation({ store, ...testEnv }, planner, {
    fiscalYear: 2024,
    fundingLine: 'central',
    capitalType: 'investment',
    component: 'DA1',
    commune: 'A Tiêng',
    title: 'Test allocation',
    amountVnd: 1_000_000_000,
    ...overrides,
  });
  return result.body as Allocation;
};

export const newRequest = (allocationId: string, amountVnd: number) => ({
  allocationId,
  amountVnd,
  payee: { name: 'Hợp tác xã Dang', kind: 'cooperative' as const },
  purpose: 'Test disbursement',
});
