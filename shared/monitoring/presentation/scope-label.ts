import { type Label, UNIT_TIERS, type UnitTier } from '../../jurisdictions/domain/administrative-unit.ts';
import type { Lang, PlaceNames } from '../../jurisdictions/domain/place-names.ts';
import type { LevelDefinition } from '../../ledger/domain/approval-policy.ts';
import type { CapitalType, FundingLine } from '../../ledger/domain/funding-line.ts';
import { TERMS } from '../../platform/glossary/glossary.ts';
import type { Scope } from '../domain/progress.ts';

export type { Lang };

/** The lines whose name is the same everywhere; `local` is the budget of the jurisdiction's own tier, from its file. */
const FUNDING_LINE_LABELS: Record<Exclude<FundingLine, 'local'>, Label> = {
  central: TERMS.centralBudget,
  provincial: TERMS.provincialBudget,
  community: TERMS.communityContributions,
};

const CAPITAL_TYPE_LABELS: Record<CapitalType, Label> = {
  investment: TERMS.investmentCapital,
  recurrent: TERMS.recurrentCapital,
};

const TREASURY: Label = { vi: 'Kho bạc (kiểm soát chi)', en: 'State Treasury' };

/** A funding line by name; the `local` one as the jurisdiction's file names its budget. */
export const fundingLineLabel = (
  line: FundingLine,
  lang: Lang,
  places: Pick<PlaceNames, 'localBudget'>,
): string => (line === 'local' ? places.localBudget[lang] : FUNDING_LINE_LABELS[line][lang]);
export const capitalTypeLabel = (type: CapitalType, lang: Lang): string => CAPITAL_TYPE_LABELS[type][lang];

const CARRIED_OVER: Label = { vi: 'Vốn năm trước chuyển sang', en: 'carried over from an earlier year' };
/** Capital carried over from an earlier year, as provinces' reports head it. */
export const carriedOverLabel = (lang: Lang): string => CARRIED_OVER[lang];

/** The levels of an approval policy, by code, as a request's chain names them. */
export type PolicyLevels = Readonly<Record<string, LevelDefinition>>;

const isTier = (code: string): code is UnitTier | 'treasury' =>
  code === 'treasury' || (UNIT_TIERS as readonly string[]).includes(code);

/**
 * An approval level by name: its policy's `label`, else its tier's as the jurisdiction's units name it
 * ("cấp xã"; "cấp thành phố" at a city's province level), the Treasury's. A level missing from the
 * policy is named by its code when that is a tier, else shown as the code.
 */
export const levelLabel = (
  level: string,
  lang: Lang,
  places: PlaceNames,
  levels: PolicyLevels = {},
): string => {
  const definition = Object.hasOwn(levels, level) ? levels[level] : undefined;
  if (definition?.label) return definition.label[lang];
  const tier = definition?.tier ?? (isTier(level) ? level : undefined);
  if (tier === 'treasury') return TREASURY[lang];
  if (tier === undefined) return level;
  const word = places.tierOfLevel(tier, lang);
  return lang === 'vi' ? `cấp ${word}` : `${word} level`;
};

/** The first letter in upper case: a label that opens a line or a subject. */
export const capitalized = (text: string): string => text.charAt(0).toLocaleUpperCase('vi') + text.slice(1);

/**
 * A scope as people name it, mid-sentence: `xã A Tiêng · Ngân sách trung ương · DA1` / `A Tiêng commune ·
 * central budget · DA1`; a scope of no commune is the whole jurisdiction (`toàn thành phố …`).
 * Capital type is left out: the caller says it.
 */
export const scopeLabel = (
  scope: Pick<Scope, 'commune' | 'fundingLine' | 'component'>,
  lang: Lang,
  places: PlaceNames,
): string => {
  const parts: string[] = [];
  if (scope.commune !== undefined) parts.push(places.commune(scope.commune, lang));
  else parts.push(places.whole[lang]);
  if (scope.fundingLine !== undefined) parts.push(fundingLineLabel(scope.fundingLine, lang, places));
  if (scope.component !== undefined) parts.push(scope.component);
  return parts.join(' · ');
};
