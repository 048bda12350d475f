import { FUNDING_LINES } from '../../../shared/ledger/domain/funding-line.ts';
import { h, mount, table } from '../dom.ts';
import { formatVnd } from '../format.ts';
import { t } from '../i18n.ts';
import type { Allocation, ViewContext } from '../types.ts';
import { lineName } from './common.ts';

/** Allocations of the year with their running totals, filtered by funding line and commune, with a totals row. */
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
    const sum = (f: (a: Allocation) => number) => formatVnd(shown.reduce((s, a) => s + f(a), 0));
    mount(
      holder,
      table(
        t().allocationsTitle,
        [
          t().title,
          t().fundingLine,
          t().capitalType,
          t().component,
          t().commune,
          t().assigned,
          t().reserved,
          t().disbursed,
          t().available,
        ],
        shown.map((a) => [
          h('a', { href: `#/allocation/${encodeURIComponent(a.id)}`, title: a.id }, a.title),
          lineName(a.fundingLine),
          a.capitalType === 'investment' ? t().investment : t().recurrent,
          a.component,
          a.commune,
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
          h(
            'strong',
            { class: 'num' },
            sum((a) => a.assignedVnd),
          ),
          h(
            'strong',
            { class: 'num' },
            sum((a) => a.reservedVnd),
          ),
          h(
            'strong',
            { class: 'num' },
            sum((a) => a.disbursedVnd),
          ),
          h(
            'strong',
            { class: 'num' },
            sum((a) => a.availableVnd),
          ),
        ],
      ),
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
