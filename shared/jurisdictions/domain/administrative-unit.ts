import { addDays, type IsoDate } from '../../platform/vn-calendar.ts';

/**
 * Kinds of administrative unit ("đơn vị hành chính"). Since 1 July 2025 (Constitution art. 110 as
 * amended by Resolution 203/2025/QH15; Law on Organisation of Local Government 72/2025/QH15) there
 * are two levels: province level (tỉnh, thành phố trực thuộc trung ương) and commune level (xã,
 * phường, đặc khu). `district` is kept for the years before the reform.
 */
export const UNIT_TIERS = ['province', 'city', 'district', 'commune', 'ward', 'special-zone'] as const;
export type UnitTier = (typeof UNIT_TIERS)[number];

interface TierInfo {
  /** 1 province level, 2 district level (gone since 1/7/2025), 3 commune level: a parent is always one level up or more. */
  level: 1 | 2 | 3;
  /** The word written before the name, in lower case ("xã A Vương"). */
  vi: string;
  en: string;
}

const TIERS: Record<UnitTier, TierInfo> = {
  province: { level: 1, vi: 'tỉnh', en: 'province' },
  // A centrally-run city (thành phố trực thuộc trung ương), of province level.
  city: { level: 1, vi: 'thành phố', en: 'city' },
  district: { level: 2, vi: 'huyện', en: 'district' },
  commune: { level: 3, vi: 'xã', en: 'commune' },
  ward: { level: 3, vi: 'phường', en: 'ward' },
  'special-zone': { level: 3, vi: 'đặc khu', en: 'special zone' },
};

/** How high a tier stands: 1 province level, 2 district level, 3 commune level. */
export const levelOf = (tier: UnitTier): 1 | 2 | 3 => TIERS[tier].level;

/** The word of a tier in a language, lower case ("xã", "thành phố"; "commune", "city"). */
export const tierWord = (tier: UnitTier, lang: 'vi' | 'en'): string => TIERS[tier][lang];

/** One administrative unit over one span of days; a unit renamed or re-parented has one record per span. */
export interface AdministrativeUnit {
  /** Stable id (kebab-case), unique over all jurisdictions: data refers to units by it. */
  id: string;
  /** The unit's own name in Unicode NFC, without the tier word ("A Vương"). */
  name: string;
  tier: UnitTier;
  /** The unit directly above; absent only at province level. */
  parent?: string;
  /** First day the unit exists (Vietnam calendar, inclusive). */
  validFrom: IsoDate;
  /** Last day it exists (inclusive); absent while it still does. */
  validTo?: IsoDate;
  /** Units that ended the day before `validFrom` and were merged into this one. */
  mergedFrom?: string[];
}

/** A text people read, in Vietnamese and in English. */
export interface Label {
  vi: string;
  en: string;
}

/**
 * The top unit a deployment serves (a province or centrally-run city; historically a district) with its
 * unit tree: the units above it (so labels can name the province a district lies in) and under it.
 */
export interface Jurisdiction {
  id: string;
  /** Id of the unit the jurisdiction serves. */
  unit: string;
  units: AdministrativeUnit[];
  /** The `local` funding line's name: the budget of the jurisdiction's own tier ("ngân sách địa phương"). */
  localBudget: Label;
}

/** True when the unit exists on `date`. */
export const validOn = (unit: AdministrativeUnit, date: IsoDate): boolean =>
  unit.validFrom <= date && (unit.validTo === undefined || date <= unit.validTo);

/**
 * The units of a jurisdiction that exist on `date`, province level first, then district, then commune
 * level, each in the order of the configuration file.
 */
export const unitsOn = (jurisdiction: Jurisdiction, date: IsoDate): AdministrativeUnit[] =>
  jurisdiction.units.filter((u) => validOn(u, date)).sort((a, b) => levelOf(a.tier) - levelOf(b.tier));

/**
 * A unit by id: its record valid on `date` when a date is given, else its latest record; undefined
 * when the jurisdiction has no such unit (on that date).
 */
export const unitById = (
  jurisdiction: Jurisdiction,
  id: string,
  date?: IsoDate,
): AdministrativeUnit | undefined => {
  const records = jurisdiction.units.filter((u) => u.id === id);
  if (date !== undefined) return records.find((u) => validOn(u, date));
  return records.reduce<AdministrativeUnit | undefined>(
    (latest, u) => (latest === undefined || u.validFrom > latest.validFrom ? u : latest),
    undefined,
  );
};

/** A unit as people write it: the tier word in lower case, then the name ("xã A Vương", "thành phố Đà Nẵng"). */
export const labelOf = (unit: Pick<AdministrativeUnit, 'tier' | 'name'>, lang: 'vi' | 'en' = 'vi'): string =>
  lang === 'vi' ? `${TIERS[unit.tier].vi} ${unit.name}` : `${unit.name} ${TIERS[unit.tier].en}`;

/** The calendar day before `date`: a merged unit ends the day before its successor begins. */
export const dayBefore = (date: IsoDate): IsoDate => addDays(date, -1);

/**
 * The names of a jurisdiction's commune-level units that exist on at least one day of a fiscal year
 * (a calendar year), in file order; without a year, of every day it has records for. What an
 * allocation of that year, or a filter, may name as its commune.
 */
export const communeNamesIn = (jurisdiction: Jurisdiction, fiscalYear?: number): string[] => {
  const inYear = (u: AdministrativeUnit) =>
    fiscalYear === undefined ||
    (u.validFrom <= `${fiscalYear}-12-31` && (u.validTo === undefined || u.validTo >= `${fiscalYear}-01-01`));
  return [
    ...new Set(jurisdiction.units.filter((u) => levelOf(u.tier) === 3 && inYear(u)).map((u) => u.name)),
  ];
};
