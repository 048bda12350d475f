import type { IsoDate } from '../../platform/vn-calendar.ts';
import {
  type AdministrativeUnit,
  type Jurisdiction,
  type Label,
  labelOf,
  levelOf,
  tierWord,
  type UnitTier,
  unitById,
  validOn,
} from './administrative-unit.ts';

export type Lang = keyof Label;

/**
 * How e-mails, reports and the dashboard name the places of one jurisdiction, all taken from its unit
 * data, so that no place name or tier word is written in code.
 */
export interface PlaceNames {
  /** The jurisdiction's own unit, its tier word and name: "thành phố …". */
  unit: Label;
  /** The unit with those above it, as a letter signs off: a district, then its province. */
  address: Label;
  /** The whole jurisdiction as a scope, mid-sentence: "toàn thành phố …" / "all of … city". */
  whole: Label;
  /** The `local` funding line: the budget of the jurisdiction's own tier, from its file. */
  localBudget: Label;
  /** A commune-level unit by the name data records for it, with its own tier word: "xã Avương", "phường Hải Châu". */
  commune: (name: string, lang: Lang) => string;
  /** The word of the jurisdiction's own unit at a tier's level ("thành phố" at a city's province level), else the tier's. */
  tierOfLevel: (tier: UnitTier, lang: Lang) => string;
  /** The names of the commune-level units on the day the names are for (else of every day), in file order. */
  communes: readonly string[];
}

/** A unit's record on `on`, else its latest one: the name it had on the day, or the last it had. */
const recordOf = (j: Jurisdiction, id: string, on?: IsoDate): AdministrativeUnit | undefined =>
  (on === undefined ? undefined : unitById(j, id, on)) ?? unitById(j, id);

/** The jurisdiction's unit, then each unit above it, as they were on `on`. */
const chainOf = (j: Jurisdiction, on?: IsoDate): AdministrativeUnit[] => {
  const chain: AdministrativeUnit[] = [];
  for (
    let u = recordOf(j, j.unit, on);
    u !== undefined;
    u = u.parent ? recordOf(j, u.parent, on) : undefined
  ) {
    if (chain.some((c) => c.id === u?.id)) break;
    chain.push(u);
  }
  return chain;
};

const both = (text: (lang: Lang) => string): Label => ({ vi: text('vi'), en: text('en') });

/**
 * The names of a jurisdiction's places as they were on `on` (the alert's day, the report's date); a
 * unit that did not exist that day is named by its latest record. A commune the data does not know is
 * still named, as a commune ("xã").
 */
export const placeNames = (j: Jurisdiction, on?: IsoDate): PlaceNames => {
  const chain = chainOf(j, on);
  const own = chain[0] ?? { tier: 'province' as const, name: j.id };
  const lower = j.units.filter((u) => levelOf(u.tier) === 3);
  const today = on === undefined ? lower : lower.filter((u) => validOn(u, on));
  const communes = [...new Set((today.length > 0 ? today : lower).map((u) => u.name))];
  const communeOf = (name: string): Pick<AdministrativeUnit, 'tier' | 'name'> => {
    const nfc = name.normalize('NFC');
    const named = lower.filter((u) => u.name === nfc);
    return named.find((u) => on !== undefined && validOn(u, on)) ?? named.at(-1) ?? { tier: 'commune', name };
  };
  return {
    unit: both((lang) => labelOf(own, lang)),
    address: both((lang) => chain.map((u) => labelOf(u, lang)).join(', ') || labelOf(own, lang)),
    whole: both((lang) => (lang === 'vi' ? `toàn ${labelOf(own, 'vi')}` : `all of ${labelOf(own, 'en')}`)),
    localBudget: j.localBudget,
    commune: (name, lang) => labelOf(communeOf(name), lang),
    tierOfLevel: (tier, lang) =>
      tierWord(chain.find((u) => levelOf(u.tier) === levelOf(tier))?.tier ?? tier, lang),
    communes,
  };
};
