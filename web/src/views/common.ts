import { FUNDING_LINES, type FundingLine } from '../../../shared/ledger/domain/funding-line.ts';
import { INTEGRITY_RULE_LABELS, maskedAccount } from '../../../shared/monitoring/presentation/alert-email.ts';
import { fundingLineLabel } from '../../../shared/monitoring/presentation/scope-label.ts';
import { formatPercent } from '../../../shared/platform/format/vnd-format.ts';
import { ApiError } from '../api.ts';
import { h } from '../dom.ts';
import { errorText } from '../error-text.ts';
import { formatDate, formatVnd, pct } from '../format.ts';
import { lang, t } from '../i18n.ts';
import { places, placesKnown } from '../places.ts';
import type { Alert } from '../types.ts';

/** A section's message when its data could not be read: a role without access, or an error. */
export const failure = (error: unknown) => {
  if (error instanceof ApiError && error.status === 403) return h('p', { class: 'muted' }, t().notForRole);
  return h('p', { class: 'error', role: 'alert' }, `${t().error}: ${errorText(error)}`);
};

/**
 * A severity shown by colour and by word (never by colour alone). "Đúng tiến độ" only at or above the
 * required curve: a row below it but within the warning threshold (`behind`) reads "Chậm nhẹ".
 */
export const severityBadge = (severity: 'none' | 'warning' | 'critical', behind = false) =>
  h(
    'span',
    { class: `badge sev-${severity}` },
    severity === 'none' && behind ? t().slightlyBehind : t()[severity],
  );

/** Whether a rate is below its required mark (unmeasured rates are not judged). */
export const isBehind = (rate: number | null, expected: number | null): boolean =>
  rate !== null && expected !== null && rate < expected;

/**
 * A funding line by its name in the current language (`Ngân sách trung ương` / `central budget`; the local
 * line as the jurisdiction's file names its budget); other codes as they are.
 */
export const lineName = (code: string): string =>
  (FUNDING_LINES as readonly string[]).includes(code)
    ? fundingLineLabel(code as FundingLine, lang(), places())
    : code;

/** A commune by the name data records, with its tier word from the unit data ("xã A Tiêng"). */
export const communeName = (name: string): string => places().commune(name, lang());

/**
 * An alert's scope in words: a commune, a funding line, a component and an allocation by its title (never
 * by its id); no commune is the whole jurisdiction, named from its unit ("toàn thành phố …").
 */
export const scopeText = (alert: Alert) => {
  const s = alert.scope;
  const where = s.commune
    ? communeName(s.commune)
    : placesKnown()
      ? places().whole[lang()]
      : t().wholeJurisdiction;
  const title = s.allocationId !== undefined ? alert.title : undefined;
  const parts = [where, s.fundingLine && lineName(s.fundingLine), s.component, title].filter(Boolean);
  const capital = s.capitalType === 'investment' ? t().investment : t().recurrent;
  return `${parts.join(' · ')} (${capital})`;
};

/** Reads every page of a paged route (bounded, for screens that show a whole list). */
export const allPages = async <T>(
  read: (cursor?: string) => Promise<{ items: T[]; nextCursor?: string }>,
  maxPages = 20,
): Promise<T[]> => {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const page = await read(cursor);
    items.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return items;
};

/** Amounts by label as a definition list (an allocation's totals, its closing figures). */
export const amountFacts = (pairs: readonly (readonly [string, number])[]) =>
  h(
    'dl',
    { class: 'facts' },
    ...pairs.flatMap(([k, v]) => [h('dt', {}, k), h('dd', { class: 'num' }, formatVnd(v))]),
  );

/** An alert's kind in words, as its e-mail names it. */
export const kindLabel = (kind: Alert['kind']): string =>
  ({ lag: t().lagKind, stalled: t().stalledKind, forecast: t().forecastKind, integrity: t().integrityKind })[
    kind
  ];

const percent = (value: number) => formatPercent(value, lang(), 0);

/** A forecast alert's band at the deadline against its target, in one phrase. */
export const forecastText = (f: NonNullable<Alert['forecast']>) =>
  t()
    .forecastBand.replace('{p50}', percent(f.p50Percent))
    .replace('{p10}', percent(f.p10Percent))
    .replace('{p90}', percent(f.p90Percent))
    .replace('{deadline}', formatDate(f.deadline))
    .replace('{target}', percent(f.targetPercent));

/**
 * An integrity alert for an inspector: the rule, its explanation (Vietnamese, as the monitor wrote it),
 * the requests and payees concerned, bank accounts masked to their last four digits as in the e-mail.
 */
export const integrityDetail = (d: NonNullable<Alert['integrity']>) =>
  h(
    'div',
    { class: 'integrity', 'data-rule': d.rule },
    h('strong', {}, INTEGRITY_RULE_LABELS[d.rule][lang()]),
    ` · ${formatVnd(d.totalVnd)}`,
    h('p', { lang: 'vi' }, d.explanation),
    h(
      'details',
      {},
      h(
        'summary',
        {},
        `${t().requestsConcerned} (${d.requests.length}), ${t().payeesConcerned} (${d.payees.length})`,
      ),
      h(
        'ul',
        {},
        ...d.requests.map((r) =>
          h(
            'li',
            {},
            h('a', { href: `#/request/${encodeURIComponent(r.requestId)}` }, r.requestId),
            ` · ${formatVnd(r.amountVnd)} · ${r.payeeName} · ${communeName(r.commune)} · ${formatDate(r.submittedOn)}`,
          ),
        ),
      ),
      d.payees.length > 0
        ? h(
            'ul',
            {},
            ...d.payees.map((p) =>
              h(
                'li',
                {},
                `${p.name} · ${communeName(p.commune)} · ${t().account} ${maskedAccount(p.bankAccount)}`,
              ),
            ),
          )
        : undefined,
    ),
  );

/** What an alert is about beyond its scope: rate against plan, stalled requests, forecast, integrity case. */
export const alertDetail = (a: Alert): Node | string => {
  if (a.kind === 'integrity' && a.integrity) return integrityDetail(a.integrity);
  if (a.kind === 'forecast' && a.forecast) return forecastText(a.forecast);
  if (a.kind === 'lag' && a.progress)
    return `${t().rate} ${pct((a.progress.ratePercent ?? 0) / 100)} / ${t().expected} ${pct(a.progress.expectedPercent / 100)}`;
  return t().stalledCount.replace('{n}', String(a.stalledTotal));
};
