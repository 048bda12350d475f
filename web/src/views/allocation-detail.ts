import { catalogueFor } from '../../../shared/ledger/domain/budget-codes.ts';
import { uncheckedBudgetCatalogues } from '../../../shared/platform/config/budget-codes/files.ts';
import { h, mount, table } from '../dom.ts';
import { formatDate, formatVnd } from '../format.ts';
import { t } from '../i18n.ts';
import type { Allocation, Contract, DisbursementRequest, Page, ViewContext } from '../types.ts';
import { amountFacts, communeName, lineName } from './common.ts';
import { contractsTable } from './contracts.ts';
import { carriedBadge, closingSection, extensionsSection, periodFacts } from './fiscal-year.ts';

/** A code with its name from the catalogue of the year, when the catalogue has it. */
const named = (code: string, names: Record<string, string> | undefined) =>
  names?.[code] ? `${code} – ${names[code]}` : code;

/** The allocation's budget classification (mục lục ngân sách), each code named from its year's catalogue. */
const budgetCodes = (a: Allocation) => {
  const codes = a.budgetCodes;
  if (!codes) return h('p', { class: 'muted' }, t().noData);
  const catalogue = catalogueFor(uncheckedBudgetCatalogues, a.fiscalYear);
  const rows: [string, string][] = [
    [t().chapter, named(codes.chapter, catalogue?.chapters)],
    [t().sector, named(codes.sector, catalogue?.sectors)],
    [t().programme, named(codes.programme, catalogue?.programmes)],
    ...(codes.project ? [[t().project, codes.project] as [string, string]] : []),
    [t().source, named(codes.source, catalogue?.sources)],
  ];
  return h(
    'dl',
    { class: 'facts', 'data-testid': 'budget-codes' },
    ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
  );
};

/**
 * One allocation: its totals, disbursement deadline and extensions, its closing figures once the year is
 * closed, budget codes, contracts (with advance outstanding) and requests.
 */
export const renderAllocationDetail = async (root: HTMLElement, ctx: ViewContext, id: string) => {
  const path = encodeURIComponent(id);
  const [a, contracts, requests] = await Promise.all([
    ctx.api.get<Allocation>(`/allocations/${path}`),
    ctx.api.get<{ items: Contract[] }>(`/contracts?allocationId=${path}`),
    ctx.api.get<Page<DisbursementRequest>>(`/requests?allocationId=${path}&limit=100`),
  ]);
  mount(
    root,
    h('h1', {}, a.title),
    h(
      'p',
      {},
      `${communeName(a.commune)} · ${lineName(a.fundingLine)} · ${a.component} · ${t().fiscalYear} ${a.fiscalYear}`,
      a.carriedFrom === undefined ? undefined : [' ', carriedBadge(a)],
    ),
    amountFacts([
      [t().assignedOf[a.capitalType] ?? t().assigned, a.assignedVnd],
      [t().reserved, a.reservedVnd],
      [t().disbursed, a.disbursedVnd],
      [t().available, a.availableVnd],
      [t().advanced, a.advancedVnd],
      [t().advanceOutstanding, a.advanceOutstandingVnd],
    ]),
    h('h2', {}, t().deadlineTitle),
    periodFacts(a),
    closingSection(a),
    extensionsSection(ctx, a),
    h('h2', {}, t().budgetCodes),
    budgetCodes(a),
    h('h2', {}, t().contracts),
    contractsTable(t().contractsTitle, contracts.items),
    h('h2', {}, t().requestsOfAllocation),
    requests.items.length === 0
      ? h('p', { class: 'muted' }, t().noData)
      : table(
          t().requestsOfAllocation,
          [t().submitted, t().requestKind, t().payee, t().amount, t().status],
          requests.items.map((r) => [
            formatDate(r.createdAt),
            t().requestKinds[r.kind ?? 'direct'] ?? r.kind ?? '',
            h('a', { href: `#/request/${encodeURIComponent(r.id)}` }, r.payee.name),
            h('span', { class: 'num' }, formatVnd(r.amountVnd)),
            t().statuses[r.status] ?? r.status,
          ]),
        ),
  );
};
