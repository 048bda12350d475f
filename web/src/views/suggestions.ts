import { ApiError, idempotencyKeyFor } from '../api.ts';
import { dateField, dateOf, h, mount, table } from '../dom.ts';
import { errorText } from '../error-text.ts';
import { formatDate, formatVnd } from '../format.ts';
import { lang, t } from '../i18n.ts';
import type { Reallocation, Suggestions, ViewContext } from '../types.ts';
import { communeName } from './common.ts';

type Suggested = Suggestions['reallocations'][number];
type Move = Suggested['moves'][number];

/** An API refusal in the screen's language: a reallocation's own words for its code, else the common ones. */
const refusal = (e: unknown) => {
  const words = e instanceof ApiError && lang() === 'vi' ? t().reallocationErrors[e.code] : undefined;
  return words ? `${words} (${t().errorCode}: ${(e as ApiError).code})` : `${t().error}: ${errorText(e)}`;
};

/**
 * The suggested reallocations of the year (GET /reallocations/suggestions): each with its moves, from →
 * to by allocation title and commune, amounts and reasons. A planner unticks what they do not want,
 * enters the decision's number and date and records it (POST /reallocations); the others read.
 */
export const renderSuggestions = async (root: HTMLElement, ctx: ViewContext) => {
  const s = await ctx.api.get<Suggestions>(`/reallocations/suggestions?fiscalYear=${ctx.fiscalYear}`);
  const byId = new Map(s.allocations.map((a) => [a.allocationId, a]));
  const named = (id: string) => {
    const a = byId.get(id);
    return a ? `${a.title} (${communeName(a.commune)})` : id;
  };
  const reasonOf = (m: Move) =>
    s.moves.find((x) => x.fromAllocationId === m.fromAllocationId && x.toAllocationId === m.toAllocationId)
      ?.reason ?? '';
  const planner = ctx.session.groups.includes('planner');
  mount(
    root,
    h('h1', {}, `${t().suggestionsTitle} ${ctx.fiscalYear}`),
    h('p', { class: 'muted' }, t().suggestionsHelp.replace('{date}', formatDate(s.asOf))),
    s.reallocations.length === 0
      ? h('p', { class: 'muted' }, t().noSuggestions)
      : s.reallocations.map((r, i) => suggestionCard(ctx, r, i + 1, { named, reasonOf, planner })),
  );
};

interface Naming {
  named: (id: string) => string;
  reasonOf: (m: Move) => string;
  planner: boolean;
}

/** One suggested reallocation: its moves as a table, and for a planner the form that records it. */
const suggestionCard = (ctx: ViewContext, r: Suggested, n: number, { named, reasonOf, planner }: Naming) => {
  const id = `suggestion-${n}`;
  const heading = t().suggestedReallocation.replace('{n}', String(n));
  const total = r.moves.reduce((sum, m) => sum + m.amountVnd, 0);
  const boxes = r.moves.map((m) =>
    h('input', {
      type: 'checkbox',
      checked: true,
      name: `${id}-move`,
      'aria-label': `${t().include}: ${named(m.fromAllocationId)} → ${named(m.toAllocationId)}, ${formatVnd(m.amountVnd)}`,
    }),
  );
  const moves = table(
    `${heading}: ${t().move}`,
    [...(planner ? [t().include] : []), t().moveFrom, t().moveTo, t().amount, t().reason],
    r.moves.map((m, i) => [
      ...(planner ? [boxes[i]] : []),
      named(m.fromAllocationId),
      named(m.toAllocationId),
      h('span', { class: 'num' }, formatVnd(m.amountVnd)),
      reasonOf(m),
    ]),
  );
  return h(
    'section',
    { class: 'card suggestion', 'aria-labelledby': `${id}-title`, 'data-testid': id },
    h(
      'h2',
      { id: `${id}-title` },
      `${t().suggestedReallocation.replace('{n}', String(n))} · ${formatVnd(total)}`,
    ),
    h('p', {}, r.reason),
    moves,
    planner ? reallocationForm(ctx, r, id, heading, boxes) : undefined,
  );
};

/** The planner's form: decision number and date, the reason (the suggestion's, editable), the ticked moves. */
const reallocationForm = (
  ctx: ViewContext,
  r: Suggested,
  id: string,
  heading: string,
  boxes: HTMLInputElement[],
) => {
  const number = h('input', {
    id: `${id}-number`,
    name: 'decisionNumber',
    type: 'text',
    required: true,
    maxlength: 100,
    autocomplete: 'off',
  });
  const decidedOn = dateField(`${id}-decided-on`);
  decidedOn.required = true;
  const reason = h('textarea', {
    id: `${id}-reason`,
    name: 'reason',
    rows: 2,
    required: true,
    maxlength: 1000,
  });
  reason.value = r.reason;
  const error = h('p', { id: `${id}-error`, class: 'error', role: 'alert' });
  const result = h('p', { id: `${id}-result`, class: 'result', 'data-testid': `${id}-result` });
  const submit = h('button', { type: 'submit', class: 'primary' }, t().recordReallocation);
  const form = h(
    'form',
    { class: 'filters', 'aria-labelledby': `${id}-form-title` },
    // Named after its suggestion: the forms of several suggestions are distinct landmarks.
    h('h3', { id: `${id}-form-title` }, `${t().reallocationFormTitle} (${heading})`),
    h('label', { for: `${id}-number` }, t().decisionNumber, number),
    h('label', { for: `${id}-decided-on` }, t().decidedOn, decidedOn),
    h('label', { for: `${id}-reason` }, t().reason, reason),
    submit,
    error,
    result,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const moves = r.moves.filter((_, i) => boxes[i]?.checked);
    if (moves.length === 0) {
      error.textContent = t().noMoveChosen;
      return;
    }
    let body: { decisionNumber: string; decidedOn: string; reason: string; moves: Move[] };
    try {
      body = {
        decisionNumber: number.value.trim(),
        decidedOn: dateOf(decidedOn),
        reason: reason.value.trim(),
        moves,
      };
    } catch {
      return;
    }
    error.textContent = '';
    submit.disabled = true;
    ctx.api
      .post<Reallocation>('/reallocations', body, {
        'idempotency-key': idempotencyKeyFor(`reallocation:${JSON.stringify(body)}`),
      })
      .then((done) => {
        const text = (done.status === 'applied' ? t().reallocationApplied : t().reallocationPending)
          .replace('{total}', formatVnd(done.totalVnd))
          .replace('{decision}', done.decisionNumber);
        result.textContent = text;
        result.dataset.status = done.status;
        ctx.announce(text);
        for (const box of boxes) box.disabled = true;
      })
      .catch((e: unknown) => {
        error.textContent = refusal(e);
        submit.disabled = false;
      });
  });
  return form;
};
