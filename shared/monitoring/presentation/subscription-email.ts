import { TERMS } from '../../platform/glossary/glossary.ts';
import { vnDateOf } from '../../platform/vn-calendar.ts';
import { type ConfirmationClaim, type Subscription, subscriptionKind } from '../domain/subscription.ts';
import { type EmailContext, escapeHtml, formatDate, type RenderedEmail } from './alert-email.ts';
import { capitalized, scopeLabel } from './scope-label.ts';

/** Text from a token or a subscription, on one line: no line break can reach the e-mail's layout. */
const oneLine = (text: string) => text.replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ');

/**
 * The e-mail that asks an address to confirm a subscription before any alert is sent to it: who
 * asked, for what, the signed link and until when it works. Vietnamese, with one English line.
 */
export const renderConfirmationEmail = (
  subscription: Subscription,
  claim: ConfirmationClaim,
  link: string,
  ctx: EmailContext,
): RenderedEmail => {
  // A digest subscription (an auditor's) is for the daily ledger digest of the whole jurisdiction.
  const digest = subscriptionKind(subscription) === 'ledger-digest';
  const what = digest
    ? `${TERMS.ledgerDigest.vi.toLowerCase()} của ${ctx.places.unit.vi}`
    : scopeLabel(subscription.scope, 'vi', ctx.places);
  const whatEn = digest
    ? `the ${TERMS.ledgerDigest.en} of ${ctx.places.unit.en}`
    : scopeLabel(subscription.scope, 'en', ctx.places);
  // What the address will receive: alerts, or (an auditor's) the daily digest; a digest is not an alert.
  const mail = digest ? 'thư chốt sổ cái hằng ngày' : 'thư cảnh báo';
  const mailEn = digest ? 'the daily ledger digest' : 'the disbursement alerts';
  const confirm = digest ? 'Xác nhận đăng ký nhận' : 'Xác nhận nhận cảnh báo';
  const owner = oneLine(subscription.owner);
  const until = vnDateOf(new Date(claim.expiresAt));
  const subject = `[Giám sát giải ngân] ${confirm}: ${capitalized(what)}`;
  const text = [
    'Kính gửi quý cơ quan, đơn vị,',
    '',
    `Tài khoản "${owner}" của hệ thống giám sát giải ngân ${ctx.places.unit.vi} đã đăng ký địa chỉ ${subscription.email} nhận ${mail} về: ${what}.`,
    `Hệ thống sẽ không gửi ${mail} nào tới địa chỉ này cho tới khi chính địa chỉ này xác nhận.`,
    `Để đồng ý, mở đường dẫn sau (hiệu lực đến hết ngày ${formatDate(until, 'vi')}):`,
    '',
    link,
    '',
    'Nếu không phải quý vị yêu cầu, xin bỏ qua thư này: không có thư nào khác được gửi.',
    '',
    `English summary: "${owner}" subscribed ${subscription.email} to ${mailEn} of ${whatEn}; nothing is sent until you open the link above (valid until ${formatDate(until, 'en')}). If you did not ask for it, ignore this e-mail.`,
    '',
    '-- ',
    `Thư tự động từ hệ thống giám sát giải ngân giai-ngan, ${ctx.places.address.vi}. Mã đăng ký: ${subscription.id}.`,
    '',
  ].join('\n');
  const h = escapeHtml;
  const html = [
    '<!doctype html>',
    `<html lang="vi"><head><meta charset="utf-8"><title>${h(subject)}</title></head><body>`,
    '<p>Kính gửi quý cơ quan, đơn vị,</p>',
    `<p>Tài khoản “${h(owner)}” của hệ thống giám sát giải ngân ${h(ctx.places.unit.vi)} đã đăng ký địa chỉ <b>${h(subscription.email)}</b> nhận ${h(mail)} về: <b>${h(what)}</b>.</p>`,
    `<p>Hệ thống sẽ không gửi ${h(mail)} nào tới địa chỉ này cho tới khi chính địa chỉ này xác nhận.</p>`,
    `<p><a href="${h(link)}">${h(confirm)}</a> (hiệu lực đến hết ngày ${h(formatDate(until, 'vi'))}).</p>`,
    '<p>Nếu không phải quý vị yêu cầu, xin bỏ qua thư này.</p>',
    `<p lang="en">English summary: “${h(owner)}” subscribed ${h(subscription.email)} to ${h(mailEn)} of ${h(whatEn)}; nothing is sent until you open the link (valid until ${h(formatDate(until, 'en'))}). If you did not ask for it, ignore this e-mail.</p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
};
