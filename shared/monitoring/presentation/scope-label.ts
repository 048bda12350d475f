import type { CapitalType, FundingLine } from '../../ledger/domain/funding-line.ts';
import type { Scope } from '../domain/progress.ts';

export type Lang = 'vi' | 'en';

const FUNDING_LINE_LABELS: Record<FundingLine, Record<Lang, string>> = {
  central: { vi: 'Vốn trung ương', en: 'central budget' },
  provincial: { vi: 'Vốn tỉnh', en: 'provincial budget' },
  local: { vi: 'Vốn đối ứng huyện', en: 'district counterpart funds' },
  community: { vi: 'Vốn huy động cộng đồng', en: 'community contributions' },
};

const CAPITAL_TYPE_LABELS: Record<CapitalType, Record<Lang, string>> = {
  investment: { vi: 'Vốn đầu tư công', en: 'public investment' },
  recurrent: { vi: 'Vốn sự nghiệp', en: 'recurrent spending' },
};

/** Names of the usual approval levels; levels are configuration, so an unknown one shows its code. */
const LEVEL_LABELS: Record<string, Record<Lang, string>> = {
  commune: { vi: 'cấp xã', en: 'commune' },
  district: { vi: 'cấp huyện', en: 'district' },
  'district-leader': { vi: 'lãnh đạo huyện', en: 'district leader' },
  province: { vi: 'cấp tỉnh', en: 'province' },
  treasury: { vi: 'Kho bạc (kiểm soát chi)', en: 'State Treasury' },
};

export const fundingLineLabel = (line: FundingLine, lang: Lang): string => FUNDING_LINE_LABELS[line][lang];
export const capitalTypeLabel = (type: CapitalType, lang: Lang): string => CAPITAL_TYPE_LABELS[type][lang];
export const levelLabel = (level: string, lang: Lang): string =>
  Object.hasOwn(LEVEL_LABELS, level) ? (LEVEL_LABELS[level]?.[lang] ?? level) : level;

/**
 * A scope as people name it: `Xã A Tiêng · Vốn trung ương · DA1` / `A Tiêng commune · central budget · DA1`.
 * The district name stands for district-wide scopes. Capital type is left out: the caller says it.
 */
export const scopeLabel = (
  scope: Pick<Scope, 'commune' | 'fundingLine' | 'component'>,
  lang: Lang,
  district: string,
): string => {
  const parts: string[] = [];
  if (scope.commune !== undefined)
    parts.push(lang === 'vi' ? `Xã ${scope.commune}` : `${scope.commune} commune`);
  else parts.push(lang === 'vi' ? `Huyện ${district}` : `${district} district`);
  if (scope.fundingLine !== undefined) parts.push(fundingLineLabel(scope.fundingLine, lang));
  if (scope.component !== undefined) parts.push(scope.component);
  return parts.join(' · ');
};
