import { FUNDING_LINES } from '../../../shared/ledger/domain/funding-line.ts';
import { h, mount, onPhone, table } from '../dom.ts';
import { formatVnd } from '../format.ts';
import { t } from '../i18n.ts';
import type { Allocation, ViewContext } from '../types.ts';
import { communeName, lineName } from './common.ts';
import { CLOSES_SOON_DAYS, deadlineCell, deadlineState, originLink } from './fiscal-year.ts';

/**
 * One table of allocations with their deadlines and running totals, the first `listed` of them, and
 * the totals of them all. Carried-over capital links to the allocation it was carried from.
 */
const allocationsTable = (caption: string, shown: Allocation[], listed: number) => {
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
    shown
      .slice(0, listed)
      .map((a) => [
        h(
          'span',
          {},
          h('a', { href: `#/allocation/${encodeURIComponent(a.id)}`, title: a.id }, a.title),
          a.carriedFrom === undefined ? undefined : [h('br', {}), h('small', {}, originLink(a))],
        ),
        lineName(a.fundingLine),
        a.capitalType === 'investment' ? t().investment : t().recurrent,
        a.component,
        communeName(a.commune),
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

/** Where an allocation stands against its deadline, for the status filter. */
type DeadlineStatus = 'open' | 'soon' | 'expired' | 'closed';
const statusOf = (a: Allocation): DeadlineStatus => {
  if (a.closing) return 'closed';
  const state = deadlineState(a);
  if (!state.open) return 'expired';
  return state.daysLeft <= CLOSES_SOON_DAYS ? 'soon' : 'open';
};
const statusLabel = (s: DeadlineStatus) =>
  ({ open: t().deadlineOpen, soon: t().deadlineSoon, expired: t().periodClosed, closed: t().closedBadge })[s];

/** How many allocations a phone lists before "show more": a long list is filtered, not scrolled through. */
const PHONE_PAGE = 10;

/** A filter's drop-down: "all", then each value by its label. */
const choice = (id: string, values: readonly string[], label: (v: string) => string) =>
  h(
    'select',
    { id },
    h('option', { value: '' }, t().all),
    ...values.map((v) => h('option', { value: v }, label(v))),
  );

/**
 * Allocations of the year with their deadlines and running totals, filtered by funding line, capital
 * type, component, commune and deadline status: the year's own capital, then (as provinces report it)
 * capital carried over from an earlier year in a table of its own. A phone lists ten at a time.
 */
export const renderAllocations = async (root: HTMLElement, ctx: ViewContext) => {
  const { items } = await ctx.api.get<{ items: Allocation[] }>(`/allocations?fiscalYear=${ctx.fiscalYear}`);
  const distinct = (f: (a: Allocation) => string) =>
    [...new Set(items.map(f))].sort((a, b) => a.localeCompare(b, 'vi'));
  const filters = {
    commune: choice(
      'alloc-commune',
      distinct((a) => a.commune),
      communeName,
    ),
    line: choice(
      'alloc-line',
      FUNDING_LINES.filter((l) => items.some((a) => a.fundingLine === l)),
      lineName,
    ),
    capital: choice('alloc-capital', ['investment', 'recurrent'], (c) =>
      c === 'investment' ? t().investment : t().recurrent,
    ),
    component: choice(
      'alloc-component',
      distinct((a) => a.component),
      (c) => c,
    ),
    status: choice('alloc-status', ['open', 'soon', 'expired', 'closed'], (s) =>
      statusLabel(s as DeadlineStatus),
    ),
  };
  const holder = h('div', {});
  let limit = onPhone() ? PHONE_PAGE : Number.POSITIVE_INFINITY;
  const draw = () => {
    const f = filters;
    const shown = items.filter(
      (a) =>
        (!f.line.value || a.fundingLine === f.line.value) &&
        (!f.commune.value || a.commune === f.commune.value) &&
        (!f.capital.value || a.capitalType === f.capital.value) &&
        (!f.component.value || a.component === f.component.value) &&
        (!f.status.value || statusOf(a) === f.status.value),
    );
    const own = shown.filter((a) => a.carriedFrom === undefined);
    const carried = shown.filter((a) => a.carriedFrom !== undefined);
    const listed = Math.min(limit, own.length);
    const more = h(
      'button',
      { type: 'button', class: 'more' },
      t().showMore.replace('{n}', String(Math.min(PHONE_PAGE, own.length - listed))),
    );
    more.addEventListener('click', () => {
      limit += PHONE_PAGE;
      draw();
    });
    mount(
      holder,
      h(
        'p',
        { class: 'muted', id: 'alloc-count', role: 'status' },
        t().shownOf.replace('{n}', String(listed)).replace('{total}', String(own.length)),
      ),
      allocationsTable(t().allocationsTitle, own, listed),
      listed < own.length ? more : undefined,
      carried.length > 0
        ? [
            h('h2', { id: 'carried-title' }, t().carriedOver),
            allocationsTable(t().carriedOver, carried, carried.length),
          ]
        : undefined,
    );
  };
  for (const select of Object.values(filters)) {
    select.addEventListener('change', () => {
      limit = onPhone() ? PHONE_PAGE : Number.POSITIVE_INFINITY;
      draw();
    });
  }
  mount(
    root,
    h('h1', {}, `${t().allocations} ${ctx.fiscalYear}`),
    h(
      'div',
      { class: 'filters' },
      h('label', { for: 'alloc-commune' }, t().commune, filters.commune),
      h('label', { for: 'alloc-line' }, t().fundingLine, filters.line),
      h('label', { for: 'alloc-capital' }, t().capitalType, filters.capital),
      h('label', { for: 'alloc-component' }, t().component, filters.component),
      h('label', { for: 'alloc-status' }, t().status, filters.status),
    ),
    holder,
  );
  draw();
};
