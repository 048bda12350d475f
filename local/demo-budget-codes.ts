import { createHash } from 'node:crypto';
import type { Allocation } from '../shared/ledger/domain/allocation.ts';
import type { BudgetCodes, BudgetItem } from '../shared/ledger/domain/budget-codes.ts';
import type { PayeeKind } from '../shared/ledger/domain/funding-line.ts';
import type { TreasuryVoucher } from '../shared/ledger/domain/treasury-voucher.ts';
import { vnDateOf } from '../shared/platform/vn-calendar.ts';

/**
 * The demo's budget classification, from the illustrative catalogues of
 * shared/platform/config/budget-codes/ (docs/dossiers.md): the poverty-reduction programme's code, a
 * chapter by investor, a sector by component, the source by funding line, a project code for
 * investment. Community contributions are not state budget: they carry none.
 */
export const demoBudgetCodes = (
  a: Pick<Allocation, 'fundingLine' | 'capitalType' | 'component' | 'investor'>,
  index: number,
): BudgetCodes | undefined => {
  if (a.fundingLine === 'community') return undefined;
  return {
    chapter: a.investor === undefined || a.investor === 'commune' ? '805' : '405',
    sector: a.component === 'DA1' ? '280-292' : a.component === 'DA5' ? '370-398' : '280-338',
    programme: '0070',
    ...(a.capitalType === 'investment' ? { project: String(7_000_001 + index) } : {}),
    source: a.fundingLine === 'central' ? '01' : '14',
  };
};

/** The item and sub-item of a demo payment: construction for investment, support to households, other. */
export const demoBudgetItem = (
  a: Pick<Allocation, 'capitalType' | 'budgetCodes'>,
  payeeKind: PayeeKind,
): BudgetItem | undefined => {
  if (a.budgetCodes === undefined) return undefined;
  if (a.capitalType === 'investment') return { item: '9300', subItem: '9303' };
  return payeeKind === 'household' ? { item: '7150', subItem: '7199' } : { item: '7750', subItem: '7799' };
};

/** The Treasury voucher of a demo payment: a number drawn from its request id, paid the day it is approved. */
export const demoVoucher = (requestId: string, decidedAt: Date): TreasuryVoucher => ({
  number: `KB-${createHash('sha256').update(requestId).digest('hex').slice(0, 10).toUpperCase()}`,
  valueDate: vnDateOf(decidedAt),
});
