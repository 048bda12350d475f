import type { PlaceNames } from '../../jurisdictions/domain/place-names.ts';
import { formatPercent, formatVnd } from '../../platform/format/vnd-format.ts';
import { assignedTerm, term } from '../../platform/glossary/glossary.ts';
import { oneLine } from '../../platform/text-hygiene.ts';
import { type IsoDate, vnDateOf } from '../../platform/vn-calendar.ts';
import type { Alert } from '../domain/alert.ts';
import type {
  IntegrityDetails,
  IntegrityPayeeFact,
  IntegrityRequestFact,
  IntegrityRuleId,
} from '../domain/integrity/integrity-case.ts';
import type { ForecastFigures, LaggingAllocation, StalledRequest } from '../domain/lag-detector.ts';
import { allocationScope, type Scope } from '../domain/progress.ts';
import {
  capitalized,
  capitalTypeLabel,
  carriedOverLabel,
  type Lang,
  levelLabel,
  type PolicyLevels,
  scopeLabel,
} from './scope-label.ts';

/** An alert as an e-mail: Vietnamese, with one English summary line, as plain text and HTML. */
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** One recipient's links: the alert on the dashboard, and the page that acknowledges it with one button. */
export interface AlertEmailLinks {
  dashboard: string;
  acknowledge: string;
}

/** Where the alert comes from: its jurisdiction's place names, and the levels of its approval policy. */
export interface EmailContext {
  places: PlaceNames;
  /** The levels of the policy of the alert's jurisdiction and year: where a stalled request waits. */
  levels?: PolicyLevels;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `30/09/2024` in Vietnamese, `30 Sep 2024` in English. */
export const formatDate = (date: IsoDate, lang: Lang): string => {
  const [y, m, d] = date.split('-');
  return lang === 'vi' ? `${d}/${m}/${y}` : `${Number(d)} ${MONTHS[Number(m) - 1]} ${y}`;
};

const rate = (value: number | null, lang: Lang, decimals = 1) =>
  value === null
    ? lang === 'vi'
      ? 'chưa giao vốn'
      : 'nothing assigned'
    : formatPercent(value, lang, decimals);

const subjectTag = (alert: Alert) =>
  alert.kind === 'integrity'
    ? alert.severity === 'critical'
      ? '[Cảnh báo liêm chính · Nghiêm trọng]'
      : '[Cảnh báo liêm chính]'
    : alert.severity === 'critical'
      ? '[Cảnh báo giải ngân · Nghiêm trọng]'
      : '[Cảnh báo giải ngân]';

/** Each integrity rule's name, for the subject and the facts. */
export const INTEGRITY_RULE_LABELS: Record<IntegrityRuleId, { vi: string; en: string }> = {
  splitting: { vi: 'Chia nhỏ hồ sơ dưới ngưỡng phê duyệt', en: 'requests split under an approval threshold' },
  'shared-account': {
    vi: 'Nhiều đơn vị thụ hưởng chung một tài khoản',
    en: 'one bank account behind different payees',
  },
  'double-support': { vi: 'Một hộ được hỗ trợ trùng', en: 'one household supported twice' },
  'deadline-bunching': { vi: 'Giải ngân dồn sát hạn', en: 'payments bunched just before the deadline' },
};

/**
 * An account number in mail and on the dashboard's alerts: its last four digits only (the API shows it
 * whole to its readers).
 */
export const maskedAccount = (a: { bankCode: string; number: string }) =>
  `${'•'.repeat(Math.max(0, Math.min(a.number.length - 4, 8)))}${a.number.slice(-4)} (NH ${a.bankCode})`;

/** A request of an integrity case in one line: amount, payee, where, when. */
const integrityRequestLine = (r: IntegrityRequestFact, ctx: EmailContext) =>
  [
    formatVnd(r.amountVnd),
    oneLine(r.payeeName),
    capitalized(oneLine(ctx.places.commune(r.commune, 'vi'))),
    `lập ${formatDate(r.submittedOn, 'vi')}`,
    ...(r.paidOn ? [`chi ${formatDate(r.paidOn, 'vi')}`] : []),
    `mã hồ sơ ${r.requestId}`,
  ].join(' · ');

/** A payee of an integrity case in one line. */
const integrityPayeeLine = (p: IntegrityPayeeFact, ctx: EmailContext) =>
  [
    oneLine(p.name),
    capitalized(oneLine(ctx.places.commune(p.commune, 'vi'))),
    `tài khoản ${maskedAccount(p.bankAccount)}`,
    `mã đơn vị thụ hưởng ${p.payeeId}`,
  ].join(' · ');

/** The rule's own figures. */
const integrityFacts = (d: IntegrityDetails): [string, string][] => [
  ['Dấu hiệu', INTEGRITY_RULE_LABELS[d.rule].vi],
  ['Tổng số tiền', formatVnd(d.totalVnd)],
  ...(d.thresholdVnd !== undefined
    ? ([['Ngưỡng phê duyệt', `${formatVnd(d.thresholdVnd)} (thêm cấp ${d.addedLevel ?? ''})`]] as [
        string,
        string,
      ][])
    : []),
  ...(d.rule === 'splitting' && d.windowDays !== undefined
    ? ([['Khoảng thời gian xét', `${d.windowDays} ngày`]] as [string, string][])
    : []),
  ...(d.bankAccount ? ([['Tài khoản', maskedAccount(d.bankAccount)]] as [string, string][]) : []),
  ...(d.deadline !== undefined
    ? ([
        ['Hạn giải ngân', formatDate(d.deadline, 'vi')],
        [
          `Chi trong ${d.windowDays ?? ''} ngày cuối`,
          `${formatVnd(d.windowVnd ?? 0)} (${formatPercent(d.sharePercent ?? 0, 'vi')} số đã chi)`,
        ],
      ] as [string, string][])
    : []),
];

/**
 * The scope label, with the capital type when it is not public investment (the usual case), and
 * whether the capital was carried over from an earlier year.
 */
const where = (scope: Scope, lang: Lang, ctx: EmailContext) =>
  oneLine(
    scopeLabel(scope, lang, ctx.places) +
      (scope.capitalType === 'investment' ? '' : ` · ${capitalTypeLabel(scope.capitalType, lang)}`) +
      (scope.carriedOver ? ` · ${carriedOverLabel(lang)}` : ''),
  );

/**
 * A forecast in one phrase: "dự báo đạt 31% (khoảng 18%–44%) khi hết hạn giải ngân 31/01/2025, yêu cầu
 * 100%" (and its English twin).
 */
export const forecastPhrase = (f: ForecastFigures, lang: Lang): string =>
  lang === 'vi'
    ? `dự báo đạt ${formatPercent(f.p50Percent, 'vi', 0)} (khoảng ${formatPercent(f.p10Percent, 'vi', 0)}–${formatPercent(f.p90Percent, 'vi', 0)}) khi hết hạn giải ngân ${formatDate(f.deadline, 'vi')}, yêu cầu ${formatPercent(f.targetPercent, 'vi', 0)}`
    : `forecast to reach ${formatPercent(f.p50Percent, 'en', 0)} (range ${formatPercent(f.p10Percent, 'en', 0)}–${formatPercent(f.p90Percent, 'en', 0)}) by its disbursement deadline ${formatDate(f.deadline, 'en')}, against ${formatPercent(f.targetPercent, 'en', 0)} required`;

const longestWait = (alert: Alert) => Math.max(0, ...alert.stalledRequests.map((s) => s.waitingDays));

/** The alert in one line: the e-mail's subject, the acknowledge page's heading. */
export const subjectOf = (alert: Alert, ctx: EmailContext): string => {
  const label = where(alert.scope, 'vi', ctx);
  if (alert.kind === 'integrity' && alert.integrity) {
    const d = alert.integrity;
    return `${subjectTag(alert)} ${INTEGRITY_RULE_LABELS[d.rule].vi} · ${label}: ${d.requests.length} hồ sơ, ${formatVnd(d.totalVnd)}`;
  }
  if (alert.kind === 'lag' && alert.progress) {
    const p = alert.progress;
    const reached = p.ratePercent === null ? rate(null, 'vi') : `đạt ${rate(p.ratePercent, 'vi', 0)}`;
    return `${subjectTag(alert)} ${term('behindSchedule')} · ${label}: ${reached}, yêu cầu ${formatPercent(p.expectedPercent, 'vi', 0)}`;
  }
  if (alert.kind === 'forecast' && alert.forecast) {
    return `${subjectTag(alert)} Dự báo không đạt · ${label}: ${forecastPhrase(alert.forecast, 'vi')}`;
  }
  return `${subjectTag(alert)} ${term('stalled')} · ${label}: ${alert.stalledTotal} hồ sơ, lâu nhất ${longestWait(alert)} ngày làm việc`;
};

const englishSummary = (alert: Alert, ctx: EmailContext): string => {
  const label = oneLine(
    `${scopeLabel(alert.scope, 'en', ctx.places)} (${capitalTypeLabel(alert.scope.capitalType, 'en')}${alert.scope.carriedOver ? `, ${carriedOverLabel('en')}` : ''})`,
  );
  const level = alert.severity === 'critical' ? 'CRITICAL' : 'Warning';
  const on = formatDate(alert.day, 'en');
  if (alert.kind === 'integrity' && alert.integrity) {
    const d = alert.integrity;
    return `English summary: ${level}: integrity check in ${label}: ${INTEGRITY_RULE_LABELS[d.rule].en}; ${d.requests.length} request(s), ${d.payees.length} payee(s), ${formatVnd(d.totalVnd)} in all, found on ${on}. Please verify.`;
  }
  if (alert.kind === 'lag' && alert.progress) {
    const p = alert.progress;
    return `English summary: ${level}: disbursement lag in ${label}: ${rate(p.ratePercent, 'en')} disbursed against ${formatPercent(p.expectedPercent, 'en')} expected by ${on}, ${p.lagPoints.toFixed(1)} points behind.`;
  }
  if (alert.kind === 'forecast' && alert.forecast) {
    return `English summary: ${level}: forecast miss in ${label}: ${formatPercent(alert.forecast.ratePercent, 'en')} disbursed by ${on}, ${forecastPhrase(alert.forecast, 'en')}.`;
  }
  return `English summary: ${level}: stalled approvals in ${label}: ${alert.stalledTotal} request(s) waiting at one approval level, the longest for ${longestWait(alert)} working days, as of ${on}.`;
};

const allocationLine = (a: LaggingAllocation, ctx: EmailContext) =>
  `${capitalized(where(allocationScope(a), 'vi', ctx))}: ${oneLine(a.title)}`;
const allocationFigures = (a: LaggingAllocation) =>
  `giải ngân ${formatVnd(a.disbursedVnd)} / ${formatVnd(a.assignedVnd)} = ${rate(a.ratePercent, 'vi')} (chậm ${formatPercent(a.lagPoints, 'vi').replace('%', '')} điểm)`;
/** A stalled request; its allocation is named only when the alert covers more than that allocation. */
const stalledLine = (s: StalledRequest, alert: Alert, ctx: EmailContext) =>
  [
    formatVnd(s.amountVnd),
    oneLine(s.payeeName),
    oneLine(s.purpose),
    ...(alert.scope.level === 'allocation' ? [] : [where(allocationScope(s), 'vi', ctx)]),
    `chờ ${levelLabel(s.level, 'vi', ctx.places, ctx.levels)} từ ${formatDate(vnDateOf(s.pendingSince), 'vi')} (${s.waitingDays} ngày làm việc)`,
  ].join(' · ');

/** The labelled figures of the alert, in reading order. */
export const facts = (alert: Alert, ctx: EmailContext): [string, string][] => {
  const out: [string, string][] = [
    [
      'Phạm vi',
      capitalized(where(alert.scope, 'vi', ctx)) + (alert.title ? ` (${oneLine(alert.title)})` : ''),
    ],
    [
      'Loại vốn',
      capitalTypeLabel(alert.scope.capitalType, 'vi') +
        (alert.scope.carriedOver ? ` (${carriedOverLabel('vi').toLocaleLowerCase('vi')})` : ''),
    ],
    ['Năm kế hoạch', String(alert.fiscalYear)],
    ['Ngày đánh giá', formatDate(alert.day, 'vi')],
    ['Mức độ', alert.severity === 'critical' ? 'NGHIÊM TRỌNG' : 'Cảnh báo'],
  ];
  const p = alert.progress;
  if (alert.kind === 'integrity' && alert.integrity) {
    out.push(...integrityFacts(alert.integrity));
  } else if (alert.kind === 'lag' && p) {
    out.push(
      [assignedTerm(alert.scope.capitalType), formatVnd(p.assignedVnd)],
      ['Đã giải ngân', formatVnd(p.disbursedVnd)],
    );
    if (p.reservedVnd > 0) out.push(['Đang chờ phê duyệt', formatVnd(p.reservedVnd)]);
    out.push(
      ['Tỷ lệ giải ngân', rate(p.ratePercent, 'vi')],
      [`${term('expectedCurve')} đến ${formatDate(alert.day, 'vi')}`, formatPercent(p.expectedPercent, 'vi')],
      [
        `Chậm so với ${term('expectedCurve').toLocaleLowerCase('vi')}`,
        `${formatPercent(p.lagPoints, 'vi').replace('%', '')} điểm phần trăm`,
      ],
    );
  } else if (alert.kind === 'forecast' && alert.forecast) {
    const f = alert.forecast;
    out.push(
      [assignedTerm(alert.scope.capitalType), formatVnd(f.assignedVnd)],
      ['Đã giải ngân', `${formatVnd(f.disbursedVnd)} (${formatPercent(f.ratePercent, 'vi')})`],
    );
    if (f.pipelineVnd > 0) out.push(['Đang chờ phê duyệt', formatVnd(f.pipelineVnd)]);
    out.push(
      ['Hạn giải ngân', formatDate(f.deadline, 'vi')],
      [
        'Dự báo khi hết hạn',
        `${formatPercent(f.p50Percent, 'vi')} (khoảng ${formatPercent(f.p10Percent, 'vi')}–${formatPercent(f.p90Percent, 'vi')})`,
      ],
      ['Yêu cầu', formatPercent(f.targetPercent, 'vi')],
      [
        'Quy tắc cảnh báo',
        `mức ${f.percentile.toUpperCase()} thấp hơn yêu cầu ${formatPercent(f.shortfallPoints, 'vi').replace('%', '')} điểm (ngưỡng ${formatPercent(f.marginPoints, 'vi', 0).replace('%', '')} điểm)`,
      ],
    );
  } else {
    out.push([term('stalled'), `${alert.stalledTotal} hồ sơ (lâu nhất ${longestWait(alert)} ngày làm việc)`]);
  }
  return out;
};

const STALLED_HEADING = `Hồ sơ ${term('stalled').toLocaleLowerCase('vi')}`;
const PAYEES_HEADING = `Các ${term('payee').toLocaleLowerCase('vi')} liên quan`;

const intro = (alert: Alert, ctx: EmailContext) =>
  alert.kind === 'integrity' && alert.integrity
    ? `Hệ thống phát hiện dấu hiệu bất thường cần kiểm tra tại ${where(alert.scope, 'vi', ctx)}, kế hoạch vốn năm ${alert.fiscalYear}. ${oneLine(alert.integrity.explanation)}`
    : alert.kind === 'lag'
      ? `Tiến độ giải ngân của ${where(alert.scope, 'vi', ctx)} đang chậm so với ${term('expectedCurve').toLocaleLowerCase('vi')} của năm kế hoạch ${alert.fiscalYear} (mục tiêu giải ngân 100% ${assignedTerm(alert.scope.capitalType).toLocaleLowerCase('vi')}).`
      : alert.kind === 'forecast' && alert.forecast
        ? `Theo tốc độ giải ngân đến nay, ${where(alert.scope, 'vi', ctx)} ${forecastPhrase(alert.forecast, 'vi')} (kế hoạch vốn năm ${alert.fiscalYear}).`
        : `Có hồ sơ đề nghị giải ngân của ${where(alert.scope, 'vi', ctx)} chờ phê duyệt ở một cấp quá thời hạn cho phép.`;

const footer = (alert: Alert, ctx: EmailContext) =>
  `Thư tự động từ hệ thống giám sát giải ngân giai-ngan, ${ctx.places.address.vi}. Mã cảnh báo: ${alert.id}.`;

/** The links, labelled: no API verb in mail, only pages a person opens (the acknowledge page asks once more). */
const linkRows = (links: AlertEmailLinks): [string, string][] => [
  ['Xem cảnh báo trên bảng điều khiển (View on the dashboard)', links.dashboard],
  ['Xác nhận đã xem, một lần bấm (Acknowledge)', links.acknowledge],
];

/** Text made safe to place in HTML. */
export const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/**
 * Renders an alert as an e-mail to one inspector, with their links. Pure: the same alert and links always
 * give the same e-mail. Data
 * (payees, purposes, titles) is flattened to one line: a line break in it would read as a line of the
 * e-mail's own (a forged "Kính gửi" or figure), or in the subject as a header of its own.
 */
export const renderAlertEmail = (alert: Alert, ctx: EmailContext, links: AlertEmailLinks): RenderedEmail => {
  const subject = subjectOf(alert, ctx);
  const rows = facts(alert, ctx);
  const width = Math.max(...rows.map(([k]) => k.length)) + 2;
  const text: string[] = ['Kính gửi cán bộ giám sát,', '', intro(alert, ctx), ''];
  for (const [k, v] of rows) text.push(`${`${k}:`.padEnd(width)}${v}`);
  if (alert.laggingAllocations.length > 0) {
    text.push('', 'Các khoản vốn chậm nhất:');
    alert.laggingAllocations.forEach((a, i) => {
      text.push(`  ${i + 1}. ${allocationLine(a, ctx)}`, `     ${allocationFigures(a)}`);
    });
  }
  if (alert.stalledRequests.length > 0) {
    text.push('', `${STALLED_HEADING} (${alert.stalledTotal}):`);
    for (const s of alert.stalledRequests) text.push(`  - ${stalledLine(s, alert, ctx)}`);
    if (alert.stalledTotal > alert.stalledRequests.length)
      text.push(`  … và ${alert.stalledTotal - alert.stalledRequests.length} hồ sơ khác.`);
  }
  const integrity = alert.integrity;
  if (integrity && integrity.requests.length > 0) {
    text.push('', `Các hồ sơ liên quan (${integrity.requests.length}):`);
    for (const r of integrity.requests) text.push(`  - ${integrityRequestLine(r, ctx)}`);
  }
  if (integrity && integrity.payees.length > 0) {
    text.push('', `${PAYEES_HEADING} (${integrity.payees.length}):`);
    for (const p of integrity.payees) text.push(`  - ${integrityPayeeLine(p, ctx)}`);
  }
  text.push('', englishSummary(alert, ctx), '');
  for (const [label, url] of linkRows(links)) text.push(`${label}:`, `  ${url}`);
  text.push('', '-- ', footer(alert, ctx), '');

  const h = escapeHtml;
  const html: string[] = [
    '<!doctype html>',
    '<html lang="vi"><head><meta charset="utf-8"><title>',
    h(subject),
    '</title></head><body style="font-family:Arial,sans-serif;font-size:14px;color:#222">',
    '<p>Kính gửi cán bộ giám sát,</p>',
    `<p>${h(intro(alert, ctx))}</p>`,
    '<table cellpadding="4" style="border-collapse:collapse">',
    ...rows.map(([k, v]) => `<tr><th align="left">${h(k)}</th><td>${h(v)}</td></tr>`),
    '</table>',
  ];
  if (alert.laggingAllocations.length > 0) {
    html.push('<h3>Các khoản vốn chậm nhất</h3><ol>');
    for (const a of alert.laggingAllocations)
      html.push(`<li>${h(allocationLine(a, ctx))}<br>${h(allocationFigures(a))}</li>`);
    html.push('</ol>');
  }
  if (alert.stalledRequests.length > 0) {
    html.push(`<h3>${STALLED_HEADING} (${alert.stalledTotal})</h3><ul>`);
    for (const s of alert.stalledRequests) html.push(`<li>${h(stalledLine(s, alert, ctx))}</li>`);
    html.push('</ul>');
  }
  if (integrity && integrity.requests.length > 0) {
    html.push(`<h3>Các hồ sơ liên quan (${integrity.requests.length})</h3><ul>`);
    for (const r of integrity.requests) html.push(`<li>${h(integrityRequestLine(r, ctx))}</li>`);
    html.push('</ul>');
  }
  if (integrity && integrity.payees.length > 0) {
    html.push(`<h3>${PAYEES_HEADING} (${integrity.payees.length})</h3><ul>`);
    for (const p of integrity.payees) html.push(`<li>${h(integrityPayeeLine(p, ctx))}</li>`);
    html.push('</ul>');
  }
  html.push(
    `<p lang="en"><em>${h(englishSummary(alert, ctx))}</em></p>`,
    ...linkRows(links).map(([label, url]) => `<p><a href="${h(url)}">${h(label)}</a></p>`),
    `<hr><p style="font-size:12px;color:#666">${h(footer(alert, ctx))}</p>`,
    '</body></html>',
    '',
  );
  return { subject, text: text.join('\n'), html: html.join('\n') };
};
