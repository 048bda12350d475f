import type { Actor } from '../../platform/access.ts';
import { ForbiddenError, NotFoundError } from '../../platform/errors.ts';
import type { IsoDate } from '../../platform/vn-calendar.ts';
import {
  type AdministrativeUnit,
  type Jurisdiction,
  type Label,
  labelOf,
  unitById,
  unitsOn,
} from '../domain/administrative-unit.ts';
import { type PlaceNames, placeNames } from '../domain/place-names.ts';
import { assertOwnJurisdiction, callerJurisdiction } from './jurisdiction-access.ts';

/** The jurisdictions a deployment serves (config) and the one of a token without the claim. */
export interface JurisdictionCatalog {
  jurisdictions: readonly Jurisdiction[];
  upgradeDefault: string;
}

/** A unit as the API shows it: its record plus how people write it. */
export interface UnitView extends AdministrativeUnit {
  /** The tier word and the name: "xã Avương", "thành phố …". */
  label: string;
  /** "Avương commune". */
  labelEn: string;
}

export interface JurisdictionView {
  id: string;
  /** The unit it serves, as its latest record says. */
  unit: UnitView;
  /** First day of its unit's first record and last day of its latest (absent while it exists). */
  validFrom: IsoDate;
  validTo?: IsoDate;
  /** The `local` funding line's name: the budget of the jurisdiction's own tier. */
  localBudget: Label;
}

export const unitView = (unit: AdministrativeUnit): UnitView => ({
  ...unit,
  label: labelOf(unit),
  labelEn: labelOf(unit, 'en'),
});

const jurisdictionView = (j: Jurisdiction): JurisdictionView => {
  const records = j.units.filter((u) => u.id === j.unit);
  const latest = unitById(j, j.unit) as AdministrativeUnit;
  const validFrom = records.map((u) => u.validFrom).sort()[0] ?? latest.validFrom;
  return {
    id: j.id,
    unit: unitView(latest),
    validFrom,
    ...(latest.validTo !== undefined ? { validTo: latest.validTo } : {}),
    localBudget: j.localBudget,
  };
};

/**
 * A jurisdiction this deployment serves, by id (absent: the upgrade default, the one of a token or a
 * record from before jurisdictions); an id it does not serve is refused (403) naming the fix.
 */
export const servedJurisdiction = (catalog: JurisdictionCatalog, id: string | undefined): Jurisdiction => {
  const wanted = id ?? catalog.upgradeDefault;
  const served = catalog.jurisdictions.find((j) => j.id === wanted);
  if (!served) {
    throw new ForbiddenError(
      `Your account belongs to jurisdiction "${wanted}", which this deployment does not serve; ask an administrator to correct its custom:jurisdiction attribute.`,
      { jurisdiction: wanted },
    );
  }
  return served;
};

/** The names of a served jurisdiction's places (absent: the upgrade default's) as on a day. */
export const placeNamesIn = (
  catalog: JurisdictionCatalog,
  id: string | undefined,
  on?: IsoDate,
): PlaceNames => placeNames(servedJurisdiction(catalog, id), on);

/** `GET /jurisdictions`: the caller's own jurisdiction (one today; a list so that more may follow). */
export const ownJurisdictions = (catalog: JurisdictionCatalog, actor: Actor): JurisdictionView[] => [
  jurisdictionView(servedJurisdiction(catalog, callerJurisdiction(actor, catalog.upgradeDefault))),
];

/** `GET /jurisdictions/{id}/units?on=`: the units of one's own jurisdiction that exist on a day. */
export const unitsOfJurisdiction = (
  catalog: JurisdictionCatalog,
  actor: Actor,
  id: string,
  on: IsoDate,
): { jurisdiction: string; on: IsoDate; items: UnitView[] } => {
  const jurisdiction = catalog.jurisdictions.find((j) => j.id === id);
  if (!jurisdiction) {
    throw new NotFoundError(`No jurisdiction "${id}"; GET /jurisdictions gives the id of yours.`);
  }
  assertOwnJurisdiction(actor, jurisdiction.id, catalog.upgradeDefault);
  return { jurisdiction: jurisdiction.id, on, items: unitsOn(jurisdiction, on).map(unitView) };
};
