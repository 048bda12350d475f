import { FUNDING_LINES, type FundingLine } from '../../../shared/ledger/domain/funding-line.ts';
import { fundingLineLabel } from '../../../shared/monitoring/presentation/scope-label.ts';
import { ApiError } from '../api.ts';
import { h } from '../dom.ts';
import { formatVnd } from '../format.ts';
import { lang, t } from '../i18n.ts';
import { places, placesKnown } from '../places.ts';
import type { Alert } from '../types.ts';

/** A section's message when its data could not be read: a role without access, or an error. */
export const failure = (error: unknown) => {
  if (error instanceof ApiError && error.status === 403) return h('p', { class: 'muted' }, t().notForRole);
  const message = error instanceof Error ? error.message : String(error);
  return h('p', { class: 'error', role: 'alert' }, `${t().error}: ${message}`);
};

/** A severity shown by colour and by word (never by colour alone). */
export const severityBadge = (severity: 'none' | 'warning' | 'critical') =>
  h('span', { class: `badge sev-${severity}` }, t()[severity]);

/**
 * A funding line by its name in the current language (`Vốn trung ương` / `central budget`; the local
 * line as the jurisdiction's file names its budget); other codes as they are.
 */
export const lineName = (code: string): string =>
  (FUNDING_LINES as readonly string[]).includes(code)
    ? fundingLineLabel(code as FundingLine, lang(), places())
    : code;

/** A commune by the name data records, with its tier word from the unit data ("xã A Tiêng"). */
export const communeName = (name: string): string => places().commune(name, lang());

/**
 * An alert's scope in words: a commune, a funding line, a component or an allocation; no commune is the
 * whole jurisdiction, named from its unit ("toàn thành phố …").
 */
export const scopeText = (alert: Alert) => {
  const s = alert.scope;
  const where = s.commune
    ? communeName(s.commune)
    : placesKnown()
      ? places().whole[lang()]
      : t().wholeJurisdiction;
  const parts = [where, s.fundingLine && lineName(s.fundingLine), s.component, s.allocationId].filter(
    Boolean,
  );
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
