import { groupForRequest } from '../../../shared/ledger/domain/approval-policy.ts';
import { uncheckedApprovalPolicies as approvalPolicies } from '../../../shared/platform/config/approval-policies/files.ts';
import { vnDateOf } from '../../../shared/platform/vn-calendar.ts';
import { idempotencyKeyFor } from '../api.ts';
import { h, mount, table } from '../dom.ts';
import { errorText } from '../error-text.ts';
import { formatDate, formatVnd } from '../format.ts';
import { t } from '../i18n.ts';
import type { DisbursementRequest, Page, ViewContext } from '../types.ts';
import { allPages, communeName, lineName } from './common.ts';

/** True when the signed-in user may decide this request now: their group holds its next level, four eyes kept. */
export const mayDecide = (r: DisbursementRequest, session: { sub: string; groups: string[] }) => {
  if (r.status !== 'pending_approval' || !r.nextLevel) return false;
  let group: string | undefined;
  try {
    // The group stored on the request; older requests: the policy of their jurisdiction and year.
    group = groupForRequest(approvalPolicies, r, r.nextLevel);
  } catch {
    return false;
  }
  return (
    group !== undefined &&
    session.groups.includes(group) &&
    r.submittedBy !== session.sub &&
    !r.approvals.some((a) => a.by === session.sub)
  );
};

const APPROVER_GROUPS = new Set<string>(
  approvalPolicies.policies.flatMap((p) => Object.values(p.levels).map((l) => l.group)),
);

/** Waits (briefly) for the funding line's handler to apply a decision. */
const settled = async (ctx: ViewContext, before: DisbursementRequest) => {
  for (let i = 0; i < 40; i++) {
    await new Promise((r) => setTimeout(r, 250));
    const now = await ctx.api.get<DisbursementRequest>(`/requests/${encodeURIComponent(before.id)}`);
    if (now.status !== before.status || now.nextLevel !== before.nextLevel) return now;
  }
  return undefined;
};

/** The pending requests the signed-in approver may decide, with approve and reject. */
export const renderRequests = async (root: HTMLElement, ctx: ViewContext) => {
  const title = h('h1', {}, t().queueTitle);
  if (!ctx.session.groups.some((g) => APPROVER_GROUPS.has(g))) {
    mount(root, title, h('p', { class: 'muted' }, t().queueNotApprover));
    return;
  }
  const pending = await allPages((cursor) =>
    ctx.api.get<Page<DisbursementRequest>>(
      `/requests?status=pending_approval&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    ),
  );
  const mine = pending.filter((r) => r.fiscalYear === ctx.fiscalYear && mayDecide(r, ctx.session));
  const decide = async (
    r: DisbursementRequest,
    decision: 'approve' | 'reject',
    row: HTMLElement,
    voucher?: { number: HTMLInputElement; valueDate: HTMLInputElement },
  ) => {
    for (const b of row.querySelectorAll('button')) b.disabled = true;
    // The Treasury's approval records its voucher (chứng từ KBNN); a rejection carries none.
    const treasuryVoucher =
      voucher && decision === 'approve'
        ? { number: voucher.number.value.trim().toUpperCase(), valueDate: voucher.valueDate.value }
        : undefined;
    try {
      await ctx.api.post(
        `/requests/${encodeURIComponent(r.id)}/decisions`,
        { decision, ...(treasuryVoucher ? { treasuryVoucher } : {}) },
        // A new key when the voucher changes: the same key with another body is refused.
        {
          'idempotency-key': idempotencyKeyFor(
            `decision:${r.id}:${decision}:${treasuryVoucher?.number ?? ''}`,
          ),
        },
      );
      ctx.announce(t().decisionSent);
      const after = await settled(ctx, r);
      if (after) ctx.announce(`${t().decisionDone}: ${t().statuses[after.status] ?? after.status}`);
      ctx.refresh();
    } catch (error) {
      ctx.announce(`${t().error}: ${errorText(error)}`);
      for (const b of row.querySelectorAll('button')) b.disabled = false;
    }
  };
  const rows = mine.map((r) => {
    const cell = h('span', { class: 'actions' });
    const approve = h(
      'button',
      {
        type: 'button',
        class: 'primary',
        'aria-label': `${t().approve} ${r.payee.name} ${formatVnd(r.amountVnd)}`,
      },
      t().approve,
    );
    const reject = h(
      'button',
      { type: 'button', 'aria-label': `${t().reject} ${r.payee.name} ${formatVnd(r.amountVnd)}` },
      t().reject,
    );
    const atTreasury = r.approvalLevels?.find((l) => l.level === r.nextLevel)?.tier === 'treasury';
    const voucher = atTreasury
      ? {
          number: h('input', { type: 'text', 'aria-label': t().voucherNumber, maxlength: 40, size: 12 }),
          valueDate: h('input', { type: 'date', 'aria-label': t().voucherDate, value: vnDateOf(new Date()) }),
        }
      : undefined;
    approve.addEventListener('click', () => void decide(r, 'approve', cell, voucher));
    reject.addEventListener('click', () => void decide(r, 'reject', cell));
    if (voucher) cell.append(voucher.number, ' ', voucher.valueDate, ' ');
    cell.append(approve, ' ', reject);
    return [
      formatDate(r.createdAt),
      `${communeName(r.commune)} · ${lineName(r.fundingLine)} · ${r.component}`,
      h(
        'span',
        {},
        h('a', { href: `#/request/${encodeURIComponent(r.id)}` }, r.payee.name),
        h('br', {}),
        h('small', {}, `${t().requestKinds[r.kind ?? 'direct'] ?? ''} · ${r.purpose}`),
      ),
      h('span', { class: 'num' }, formatVnd(r.amountVnd)),
      `${r.nextLevel} (${r.chain.indexOf(r.nextLevel ?? '') + 1}/${r.chain.length})`,
      cell,
    ];
  });
  mount(
    root,
    title,
    mine.length === 0
      ? h('p', { class: 'muted' }, t().queueNone)
      : table(
          t().queueTitle,
          [t().submitted, t().allocation, t().payee, t().amount, t().level, t().actions],
          rows,
        ),
  );
};
