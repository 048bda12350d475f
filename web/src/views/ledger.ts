import { FUNDING_LINES } from '../../../shared/ledger/domain/funding-line.ts';
import { dateField, dateOf, h, mount, onPhone, table } from '../dom.ts';
import { saveBlob } from '../download.ts';
import { formatDate, formatVnd } from '../format.ts';
import { lang, t } from '../i18n.ts';
import { places } from '../places.ts';
import type { LedgerEntry, Page, ViewContext } from '../types.ts';
import { communeName, failure, lineName } from './common.ts';

const select = (id: string, values: readonly string[], name: (value: string) => string) =>
  h(
    'select',
    { id, name: id },
    h('option', { value: '' }, t().all),
    ...values.map((v) => h('option', { value: v }, name(v))),
  );

/** Ledger entries of the year with filters, paged, and the same query as a CSV download. */
export const renderLedger = async (root: HTMLElement, ctx: ViewContext) => {
  const line = select('fundingLine', FUNDING_LINES, lineName);
  const commune = select(
    'commune',
    ctx.session.commune ? [ctx.session.commune] : places().communes,
    communeName,
  );
  const component = h('input', { id: 'component', name: 'component', size: 6, placeholder: 'DA1' });
  const from = dateField('from');
  const to = dateField('to');
  const results = h('div', { 'aria-live': 'polite' });
  const query = () => {
    const q = new URLSearchParams({ fiscalYear: String(ctx.fiscalYear) });
    for (const el of [line, commune, component]) if (el.value) q.set(el.name, el.value.trim());
    for (const el of [from, to]) {
      const iso = dateOf(el);
      if (iso) q.set(el.name, iso);
    }
    return q;
  };
  let entries: LedgerEntry[] = [];
  let cursor: string | undefined;
  /** The filters of the entries shown: "load more" continues them even if the form changed since. */
  let shown = query();
  const draw = () => {
    const more = h('button', { type: 'button' }, t().loadMore);
    more.addEventListener('click', () => void load(true));
    mount(
      results,
      entries.length === 0
        ? h('p', { class: 'muted' }, t().noData)
        : table(
            t().ledgerTitle,
            [
              t().postedAt,
              '#',
              t().allocation,
              t().commune,
              t().fundingLine,
              t().payee,
              t().amount,
              t().request,
            ],
            entries.map((e) => [
              formatDate(e.postedAt),
              String(e.seq),
              h(
                'span',
                { title: e.allocationId },
                `${e.component} · ${e.capitalType === 'investment' ? t().investment : t().recurrent}`,
              ),
              e.commune,
              lineName(e.fundingLine),
              e.payee.name,
              h('span', { class: 'num' }, formatVnd(e.amountVnd)),
              h('a', { href: `#/request/${encodeURIComponent(e.requestId)}` }, h('code', {}, e.requestId)),
            ]),
          ),
      cursor ? more : undefined,
    );
  };
  const load = async (append: boolean) => {
    try {
      if (!append) shown = query();
      const q = new URLSearchParams(shown);
      if (append && cursor) q.set('cursor', cursor);
      // A phone shows a page of cards at a time; the button below loads more.
      q.set('limit', onPhone() ? '25' : '100');
      const page = await ctx.api.get<Page<LedgerEntry>>(`/ledger/entries?${q}`);
      entries = append ? [...entries, ...page.items] : page.items;
      cursor = page.nextCursor;
      draw();
    } catch (error) {
      mount(results, failure(error));
    }
  };
  const download = h('button', { type: 'button' }, t().downloadCsv);
  download.addEventListener('click', async () => {
    try {
      // Vietnamese headers when the dashboard shows Vietnamese (the cells are the same).
      const q = query();
      q.set('lang', lang());
      saveBlob(await ctx.api.blob(`/ledger/entries?${q}`, 'text/csv'), `ledger-${ctx.fiscalYear}.csv`);
    } catch (error) {
      mount(results, failure(error));
    }
  });
  const form = h(
    'form',
    { class: 'filters', 'aria-label': t().filter },
    h('label', { for: 'fundingLine' }, t().fundingLine, line),
    h('label', { for: 'commune' }, t().commune, commune),
    h('label', { for: 'component' }, t().component, component),
    h('label', { for: 'from' }, t().from, from),
    h('label', { for: 'to' }, t().to, to),
    h('button', { type: 'submit', class: 'primary' }, t().filter),
    download,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void load(false);
  });
  mount(root, h('h1', {}, `${t().ledger} ${ctx.fiscalYear}`), form, results);
  await load(false);
};
