import { extensionLimit, isPastDeadline } from '../../../shared/ledger/domain/disbursement-deadline.ts';
import { daysBetween, vnDateOf } from '../../../shared/platform/vn-calendar.ts';
import { idempotencyKeyFor } from '../api.ts';
import { dateField, dateOf, h, table } from '../dom.ts';
import { errorText } from '../error-text.ts';
import { formatDate, formatNumber } from '../format.ts';
import { t } from '../i18n.ts';
import type { Allocation, ViewContext } from '../types.ts';
import { amountFacts } from './common.ts';

/**
 * The fiscal year on the allocation screens (issue 16): an allocation's disbursement deadline and the
 * days left, its extensions (and a planner's form to record one), capital carried over from an earlier
 * year, and a closed year's figures.
 */

/** Fewer days left than this: the list marks the allocation as closing soon. */
export const CLOSES_SOON_DAYS = 30;

/** Today in Vietnam, as the API counts deadlines (the deadline day itself is still open). */
const today = () => vnDateOf(new Date());

/** Where an allocation stands against its deadline today: days left (0 on the last day), or closed. */
export const deadlineState = (a: Pick<Allocation, 'deadline'>, on = today()) =>
  isPastDeadline(a.deadline, on)
    ? ({ open: false } as const)
    : ({ open: true, daysLeft: daysBetween(on, a.deadline) } as const);

/** The days left (or that the period has closed) in words. */
const remainingText = (a: Pick<Allocation, 'deadline'>) => {
  const state = deadlineState(a);
  if (!state.open) return t().periodClosed;
  return state.daysLeft === 0 ? t().lastDay : t().daysLeft.replace('{n}', formatNumber(state.daysLeft));
};

/**
 * The list's deadline cell: the date, and a marker when the year is closed, the period has closed or
 * it closes within {@link CLOSES_SOON_DAYS} days (by word and colour, never colour alone).
 */
export const deadlineCell = (a: Allocation) => {
  const state = deadlineState(a);
  const marker = a.closing
    ? h('span', { class: 'badge year-closed' }, t().closedBadge)
    : !state.open
      ? h('span', { class: 'badge sev-critical' }, t().periodClosed)
      : state.daysLeft <= CLOSES_SOON_DAYS
        ? h('span', { class: 'badge sev-warning' }, remainingText(a))
        : undefined;
  return h(
    'span',
    { class: 'deadline', 'data-deadline': a.deadline },
    formatDate(a.deadline),
    marker ? ' ' : '',
    marker,
  );
};

/** A link to another year's allocation, named by the year and, for screen readers, the allocation's title. */
const yearLink = (id: string, text: string, title: string) =>
  h('a', { href: `#/allocation/${encodeURIComponent(id)}`, 'aria-label': `${text}: ${title}` }, text);

/** The link from carried-over capital to the allocation it was carried from (the year before). */
export const originLink = (a: Allocation) =>
  a.carriedFrom === undefined
    ? undefined
    : yearLink(a.carriedFrom, t().carriedFrom.replace('{year}', String(a.fiscalYear - 1)), a.title);

/** Marks capital carried over from an earlier year (vốn năm trước chuyển sang). */
export const carriedBadge = (a: Pick<Allocation, 'carriedFrom'>) =>
  a.carriedFrom === undefined ? undefined : h('span', { class: 'badge carried' }, t().carriedOver);

/** The allocation's deadline, days left or closed period, and where its capital came from or went. */
export const periodFacts = (a: Allocation) => {
  const pairs: [string, Node | string][] = [
    [t().deadline, h('span', { 'data-testid': 'deadline' }, formatDate(a.deadline))],
    [t().status, h('span', { 'data-testid': 'deadline-remaining' }, remainingText(a))],
  ];
  const origin = originLink(a);
  if (origin) pairs.push([t().carriedOver, origin]);
  return h(
    'dl',
    { class: 'facts', 'data-testid': 'period' },
    ...pairs.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
  );
};

/**
 * A planner's form to record an extension decision (POST /allocations/{id}/extension); the API's
 * refusal (invalid_extension, its limit) is shown by the form, and a recorded one redraws the screen.
 */
const extensionForm = (ctx: ViewContext, a: Allocation) => {
  const limit = extensionLimit(a.fiscalYear);
  const number = h('input', {
    id: 'extension-number',
    name: 'decisionNumber',
    type: 'text',
    required: true,
    maxlength: 100,
    autocomplete: 'off',
  });
  const decidedOn = dateField('extension-decided-on');
  const deadline = dateField('extension-deadline');
  decidedOn.required = true;
  deadline.required = true;
  const error = h('p', { id: 'extension-error', class: 'error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t().recordExtension);
  const form = h(
    'form',
    { class: 'filters', 'aria-labelledby': 'extension-form-title', 'aria-describedby': 'extension-help' },
    h('h3', { id: 'extension-form-title' }, t().extensionFormTitle),
    h('p', { id: 'extension-help', class: 'muted' }, t().extensionHelp.replace('{date}', formatDate(limit))),
    h('label', { for: 'extension-number' }, t().decisionNumber, number),
    h('label', { for: 'extension-decided-on' }, t().decidedOn, decidedOn),
    h('label', { for: 'extension-deadline' }, t().newDeadline, deadline),
    submit,
    error,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    let body: { decisionNumber: string; decidedOn: string; deadline: string };
    try {
      body = {
        decisionNumber: number.value.trim(),
        decidedOn: dateOf(decidedOn),
        deadline: dateOf(deadline),
      };
    } catch {
      return;
    }
    error.textContent = '';
    submit.disabled = true;
    const path = `/allocations/${encodeURIComponent(a.id)}/extension`;
    ctx.api
      .post(path, body, { 'idempotency-key': idempotencyKeyFor(`extension:${a.id}:${JSON.stringify(body)}`) })
      .then(() => {
        ctx.announce(t().extensionRecorded.replace('{date}', formatDate(body.deadline)));
        ctx.refresh();
      })
      .catch((e: unknown) => {
        error.textContent = `${t().error}: ${errorText(e)}`;
        submit.disabled = false;
      });
  });
  return form;
};

/** The allocation's extensions, oldest first, and the planner's form while its year is open. */
export const extensionsSection = (ctx: ViewContext, a: Allocation) =>
  h(
    'section',
    { class: 'record-section', 'aria-labelledby': 'extensions-title', 'data-testid': 'extensions' },
    h('h2', { id: 'extensions-title' }, t().extensionsTitle),
    a.extensions.length === 0
      ? h('p', { class: 'muted' }, t().noExtensions)
      : table(
          t().extensionDecisions,
          [t().decisionNumber, t().decidedOn, t().previousDeadline, t().newDeadline],
          a.extensions.map((e) => [
            e.decisionNumber,
            formatDate(e.decidedOn),
            formatDate(e.previousDeadline),
            formatDate(e.deadline),
          ]),
        ),
    ctx.session.groups.includes('planner') && !a.closing ? extensionForm(ctx, a) : undefined,
  );

/** A closed year's figures of the allocation: assigned, disbursed, returned, carried over (and where to). */
export const closingSection = (a: Allocation) => {
  const c = a.closing;
  if (!c) return undefined;
  const year = String(a.fiscalYear);
  return h(
    'section',
    { class: 'record-section', 'aria-labelledby': 'closing-title', 'data-testid': 'closing' },
    h('h2', { id: 'closing-title' }, t().closingTitle.replace('{year}', year)),
    h(
      'p',
      {},
      h('span', { class: 'badge year-closed' }, t().closedBadge),
      ' ',
      t()
        .yearClosed.replace('{year}', year)
        .replace('{decision}', c.decisionNumber)
        .replace('{date}', formatDate(c.decidedOn)),
    ),
    amountFacts([
      [t().assignedOf[a.capitalType] ?? t().assigned, c.assignedVnd],
      [t().disbursed, c.disbursedVnd],
      [t().returned, c.returnedVnd],
      [t().carriedOverVnd, c.carriedOverVnd],
    ]),
    c.carriedTo
      ? h('p', {}, yearLink(c.carriedTo, t().carriedTo.replace('{year}', String(a.fiscalYear + 1)), a.title))
      : undefined,
  );
};
