import { h, mount, table } from '../dom.ts';
import { formatDate, formatVnd } from '../format.ts';
import { t } from '../i18n.ts';
import type { Contract, ViewContext } from '../types.ts';

const num = (value: number) => h('span', { class: 'num' }, formatVnd(value));
const strongNum = (value: number) => h('strong', { class: 'num' }, formatVnd(value));

/**
 * Contracts with their figures: value, paid, advanced, recovered and advance outstanding ("dư nợ tạm
 * ứng"), one row each, and their sums.
 */
export const contractsTable = (caption: string, contracts: readonly Contract[]) => {
  if (contracts.length === 0) return h('p', { class: 'muted' }, t().noContracts);
  const sum = (f: (c: Contract) => number) => contracts.reduce((s, c) => s + f(c), 0);
  return table(
    caption,
    [
      t().contractNumber,
      t().signedOn,
      t().contractor,
      t().contractKind,
      t().contractValue,
      t().paid,
      t().advanced,
      t().recovered,
      t().advanceOutstanding,
    ],
    contracts.map((c) => [
      h('span', { title: c.id, 'data-contract': c.id }, c.number),
      formatDate(c.signedOn),
      c.payee.name,
      t().contractKinds[c.kind] ?? c.kind,
      num(c.valueVnd),
      num(c.paidVnd),
      num(c.advancedVnd),
      num(c.recoveredVnd),
      h('span', { class: 'num', 'data-testid': 'advance-outstanding' }, formatVnd(c.advanceOutstandingVnd)),
    ]),
    [
      h('strong', {}, `${t().total} (${contracts.length})`),
      '',
      '',
      '',
      strongNum(sum((c) => c.valueVnd)),
      strongNum(sum((c) => c.paidVnd)),
      strongNum(sum((c) => c.advancedVnd)),
      strongNum(sum((c) => c.recoveredVnd)),
      strongNum(sum((c) => c.advanceOutstandingVnd)),
    ],
  );
};

/** The year's contracts (the caller's commune's when commune-scoped), with advance outstanding. */
export const renderContracts = async (root: HTMLElement, ctx: ViewContext) => {
  const { items } = await ctx.api.get<{ items: Contract[] }>(`/contracts?fiscalYear=${ctx.fiscalYear}`);
  mount(root, h('h1', {}, `${t().contracts} ${ctx.fiscalYear}`), contractsTable(t().contractsTitle, items));
};
