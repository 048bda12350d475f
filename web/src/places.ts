import {
  type AdministrativeUnit,
  type Jurisdiction,
  type Label,
  levelOf,
} from '../../shared/jurisdictions/domain/administrative-unit.ts';
import { type PlaceNames, placeNames } from '../../shared/jurisdictions/domain/place-names.ts';
import type { Api } from './api.ts';

/** `GET /jurisdictions` as the dashboard reads it. */
interface JurisdictionView {
  id: string;
  unit: AdministrativeUnit;
  validTo?: string;
  localBudget: Label;
}

/** Before the unit data is read (or when it cannot be): no place named, a generic local budget. */
const UNKNOWN: Jurisdiction = {
  id: '',
  unit: '',
  units: [],
  localBudget: { vi: 'Ngân sách địa phương', en: 'local budget' },
};

let current: PlaceNames = placeNames(UNKNOWN);
let known = false;

/** The names of the signed-in user's jurisdiction's places, as the screens write them. */
export const places = (): PlaceNames => current;
/** False until the unit data was read: screens then name the whole jurisdiction generically. */
export const placesKnown = (): boolean => known;

/**
 * Reads the caller's jurisdiction and its units on the last day of the fiscal year shown (or the last
 * day the jurisdiction existed, for a year after it ended), so every label comes from the unit data.
 */
export const loadPlaces = async (api: Api, fiscalYear: number): Promise<void> => {
  try {
    const { items } = await api.get<{ items: JurisdictionView[] }>('/jurisdictions');
    const own = items[0];
    if (!own) throw new Error('no jurisdiction');
    const yearEnd = `${fiscalYear}-12-31`;
    const unitsOn = async (day?: string) =>
      (
        await api.get<{ items: AdministrativeUnit[] }>(
          `/jurisdictions/${encodeURIComponent(own.id)}/units${day ? `?on=${day}` : ''}`,
        )
      ).items;
    let on = own.validTo !== undefined && own.validTo < yearEnd ? own.validTo : yearEnd;
    let units = await unitsOn(on);
    // A year before the jurisdiction's communes were formed (its predecessors' data): name them as today.
    if (!units.some((u) => levelOf(u.tier) === 3) && own.validTo === undefined) {
      units = await unitsOn();
      on = units.find((u) => u.id === own.unit.id)?.validFrom ?? on;
    }
    current = placeNames({ id: own.id, unit: own.unit.id, units, localBudget: own.localBudget }, on);
    known = true;
  } catch {
    current = placeNames(UNKNOWN);
    known = false;
  }
};
