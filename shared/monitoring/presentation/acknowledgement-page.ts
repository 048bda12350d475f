import { oneLine } from '../../platform/text-hygiene.ts';
import { type IsoDate, vnDateOf } from '../../platform/vn-calendar.ts';
import type { StoredAlert } from '../domain/alert.ts';
import { type EmailContext, facts, formatDate, escapeHtml as h, subjectOf } from './alert-email.ts';

/**
 * The headers of the acknowledge page: no script, no style, no resource of any origin; its one form
 * posts back to this API; never framed; the page's address (which holds the token) sent to nobody.
 */
export const ACKNOWLEDGEMENT_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy':
    "default-src 'none'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

const who = (by: string | undefined) => oneLine((by ?? '').replace(/^email:/, ''));
const when = (at: string | undefined) =>
  at
    ? `${formatDate(vnDateOf(at) as IsoDate, 'vi')} ${new Date(Date.parse(at) + 7 * 3_600_000).toISOString().slice(11, 16)}`
    : '';

/**
 * The page an alert e-mail's acknowledge link opens: the alert and, while it is open, one button that
 * posts the same signed link back (a form without an action posts to the page's own address). Opening
 * the page acknowledges nothing, so a mail scanner that fetches the link changes nothing.
 */
export const renderAcknowledgementPage = (alert: StoredAlert, ctx: EmailContext): string => {
  const title = subjectOf(alert, ctx);
  const action =
    alert.status === 'open'
      ? [
          '<form method="post">',
          '<p><button type="submit">Xác nhận đã xem cảnh báo này (Acknowledge this alert)</button></p>',
          '</form>',
        ]
      : [
          `<p role="status"><strong>Đã xác nhận</strong> bởi ${h(who(alert.acknowledgedBy))} lúc ${h(when(alert.acknowledgedAt))} (acknowledged).</p>`,
        ];
  return [
    '<!doctype html>',
    '<html lang="vi"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${h(title)}</title></head><body>`,
    `<h1>${h(title)}</h1>`,
    '<table>',
    ...facts(alert, ctx).map(([k, v]) => `<tr><th align="left">${h(k)}</th><td>${h(v)}</td></tr>`),
    '</table>',
    ...action,
    `<p><small>Mã cảnh báo: ${h(alert.id)}</small></p>`,
    '</body></html>',
    '',
  ].join('\n');
};
