import type { Actor } from '../../ledger/domain/disbursement-request.ts';
import { ForbiddenError, NotFoundError } from '../../platform/errors.ts';
import type { IsoDate } from '../../platform/vn-calendar.ts';
import {
  type AdministrativeUnit,
  type Jurisdiction,
  labelOf,
  unitById,
  unitsOn,
} from '../domain/administrative-unit.ts';
import { assertOwnJurisdiction, callerJurisdiction } from './jurisdiction-access.ts';

/** The jurisdictions a deployment serves (config) and the one of a token without the claim. */
export interface JurisdictionCatalog {
  jurisdictions: readonly Jurisdiction[];
  upgradeDefault: string;
}

/** A unit as the API shows it: its record plus how people write it. */
export interface UnitView extends AdministrativeUnit {
  /** "xã Avương", "thành phố Đà Nẵng". */
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
  };
};

/** `GET /jurisdictions`: the caller's own jurisdiction (one today; a list so that more may follow). */
export const ownJurisdictions = (catalog: JurisdictionCatalog, actor: Actor): JurisdictionView[] => {
  const id = callerJurisdiction(actor, catalog.upgradeDefault);
  const own = catalog.jurisdictions.find((j) => j.id === id);
  if (!own) {
    throw new ForbiddenError(
      `Your account belongs to jurisdiction "${id}", which this deployment does not serve; ask an administrator to correct its custom:jurisdiction attribute.`,
      { jurisdiction: id },
    );
  }
  return [jurisdictionView(own)];
};

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
