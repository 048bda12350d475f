import { FUNDING_LINES } from '../../../shared/ledger/domain/funding-line.ts';
import { h, mount, table } from '../dom.ts';
import { formatVnd } from '../format.ts';
import { t } from '../i18n.ts';
import type { Allocation, ViewContext } from '../types.ts';
import { lineName } from './common.ts';
import { deadlineCell, originLink } from './fiscal-year.ts';

/**
 * One table of allocations with their deadlines and running totals, and a totals row. Carried-over
 * capital links to the allocation it was carried from.
 */
const allocationsTable = (caption: string, shown: Allocation[]) => {
  const sum = (f: (a: Allocation) => number) =>
    h('strong', { class: 'num' }, formatVnd(shown.reduce((s, a) => s + f(a), 0)));
  return table(
    caption,
    [
      t().title,
      t().fundingLine,
      t().capitalType,
      t().component,
      t().commune,
      t().deadline,
      t().assigned,
      t().reserved,
      t().disbursed,
      t().available,
    ],
    shown.map((a) => [
      h(
        'span',
        {},
        h('a', { href: `#/allocation/${encodeURIComponent(a.id)}`, title: a.id }, a.title),
        a.carriedFrom === undefined ? undefined : [h('br', {}), h('small', {}, originLink(a))],
      ),
      lineName(a.fundingLine),
      a.capitalType === 'investment' ? t().investment : t().recurrent,
      a.component,
      a.commune,
      deadlineCell(a),
      h('span', { class: 'num' }, formatVnd(a.assignedVnd)),
      h('span', { class: 'num' }, formatVnd(a.reservedVnd)),
      h('span', { class: 'num' }, formatVnd(a.disbursedVnd)),
      h('span', { class: 'num' }, formatVnd(a.availableVnd)),
    ]),
    [
      h('strong', {}, `${t().total} (${shown.length})`),
      '',
      '',
      '',
      '',
      '',
      sum((a) => a.assignedVnd),
      sum((a) => a.reservedVnd),
      sum((a) => a.disbursedVnd),
      sum((a) => a.availableVnd),
    ],
  );
};

/**
 * Allocations of the year with their deadlines and running totals, filtered by funding line and
 * commune: the year's own capital, then (as provinces report it) capital carried over from an
 * earlier year in a table of its own.
 */
export const renderAllocations = async (root: HTMLElement, ctx: ViewContext) => {
  const { items } = await ctx.api.get<{ items: Allocation[] }>(`/allocations?fiscalYear=${ctx.fiscalYear}`);
  const communes = [...new Set(items.map((a) => a.commune))].sort((a, b) => a.localeCompare(b, 'vi'));
  const line = h(
    'select',
    { id: 'alloc-line' },
    h('option', { value: '' }, t().all),
    ...FUNDING_LINES.map((l) => h('option', { value: l }, lineName(l))),
  );
  const commune = h(
    'select',
    { id: 'alloc-commune' },
    h('option', { value: '' }, t().all),
    ...communes.map((c) => h('option', { value: c }, c)),
  );
  const holder = h('div', {});
  const draw = () => {
    const shown = items.filter(
      (a) => (!line.value || a.fundingLine === line.value) && (!commune.value || a.commune === commune.value),
    );
    const carried = shown.filter((a) => a.carriedFrom !== undefined);
    mount(
      holder,
      allocationsTable(
        t().allocationsTitle,
        shown.filter((a) => a.carriedFrom === undefined),
      ),
      carried.length > 0
        ? [h('h2', { id: 'carried-title' }, t().carriedOver), allocationsTable(t().carriedOver, carried)]
        : undefined,
    );
  };
  line.addEventListener('change', draw);
  commune.addEventListener('change', draw);
  mount(
    root,
    h('h1', {}, `${t().allocations} ${ctx.fiscalYear}`),
    h(
      'div',
      { class: 'filters' },
      h('label', { for: 'alloc-line' }, t().fundingLine, line),
      h('label', { for: 'alloc-commune' }, t().commune, commune),
    ),
    holder,
  );
  draw();
};
