import type { PlaceNames } from '../../jurisdictions/domain/place-names.ts';
import { escapeHtml, formatDate, type RenderedEmail } from '../../monitoring/presentation/alert-email.ts';
import { capitalized } from '../../monitoring/presentation/scope-label.ts';
import { TERMS } from '../../platform/glossary/glossary.ts';
import type { DigestNotice } from '../app/anchor-digest.ts';

/**
 * The e-mail that gives a subscribed auditor an independent copy of a day's proof: the jurisdiction,
 * the day, how many chains the anchored digest records, the SHA-256 of the document and where it is
 * kept. Vietnamese (terms from the glossary), with one English line.
 */
export const renderDigestEmail = (notice: DigestNotice, places: Pick<PlaceNames, 'unit'>): RenderedEmail => {
  const digest = TERMS.ledgerDigest;
  const hash = TERMS.digestHash;
  const day = formatDate(notice.date, 'vi');
  const unit = places.unit.vi;
  const subject = `[Giám sát giải ngân] ${digest.vi} · ${unit} · ${day}`;
  const facts: [string, string][] = [
    ['Đơn vị', `${capitalized(unit)} (mã ${notice.jurisdiction})`],
    ['Ngày', day],
    ['Số chuỗi sổ cái (kế hoạch vốn)', String(notice.chains)],
    [`${hash.vi} của bản chốt`, notice.sha256],
    ['Khóa lưu trữ', notice.objectKey],
  ];
  const english = `English summary: the ${digest.en} of ${places.unit.en} for ${formatDate(notice.date, 'en')} records ${notice.chains} ledger chains; it is kept outside the ledger table, where the table's writers cannot rewrite it, under ${notice.objectKey}; its ${hash.en} is ${notice.sha256}. Keep this e-mail: the hash is your own copy to check the stored document and the ledger against.`;
  const text = [
    'Kính gửi kiểm toán viên,',
    '',
    `${digest.vi} của ${unit} ngày ${day} đã được lưu ngoài bảng dữ liệu sổ cái, ở nơi người ghi sổ không sửa, không xóa được.`,
    '',
    ...facts.map(([k, v]) => `${k}: ${v}`),
    '',
    `Xin lưu giữ thư này: ${hash.vi.toLowerCase()} trong thư là bản đối chiếu độc lập để kiểm tra bản chốt đã lưu và sổ cái.`,
    '',
    english,
    '',
    '-- ',
    `Thư tự động từ hệ thống giám sát giải ngân giai-ngan.`,
    '',
  ].join('\n');
  const h = escapeHtml;
  const html = [
    '<!doctype html>',
    `<html lang="vi"><head><meta charset="utf-8"><title>${h(subject)}</title></head><body>`,
    '<p>Kính gửi kiểm toán viên,</p>',
    `<p>${h(digest.vi)} của ${h(unit)} ngày ${h(day)} đã được lưu ngoài bảng dữ liệu sổ cái, ở nơi người ghi sổ không sửa, không xóa được.</p>`,
    '<table>',
    ...facts.map(([k, v]) => `<tr><th align="left">${h(k)}</th><td><code>${h(v)}</code></td></tr>`),
    '</table>',
    `<p>Xin lưu giữ thư này: ${h(hash.vi.toLowerCase())} trong thư là bản đối chiếu độc lập để kiểm tra bản chốt đã lưu và sổ cái.</p>`,
    `<p lang="en">${h(english)}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
};
