import { UPGRADE_DEFAULT_JURISDICTION } from '../../platform/tenancy.ts';
import type { JurisdictionCatalog } from '../app/jurisdictions.ts';
import type { Jurisdiction } from '../domain/administrative-unit.ts';
import daNang from './da-nang.json' with { type: 'json' };
import { loadJurisdictions } from './load-jurisdictions.ts';
import tayGiang from './tay-giang.json' with { type: 'json' };

/**
 * The jurisdictions this deployment serves, read and checked once when a function starts (edit the JSON
 * files beside this one; a wrong file stops the start with every problem listed).
 */
export const JURISDICTIONS: readonly Jurisdiction[] = loadJurisdictions([
  { file: 'shared/jurisdictions/config/tay-giang.json', content: tayGiang },
  { file: 'shared/jurisdictions/config/da-nang.json', content: daNang },
]);

export { UPGRADE_DEFAULT_JURISDICTION };

/** What the use cases read: the jurisdictions and the upgrade default. */
export const jurisdictionCatalog: JurisdictionCatalog = {
  jurisdictions: JURISDICTIONS,
  upgradeDefault: UPGRADE_DEFAULT_JURISDICTION,
};
