import type { Actor } from '../../platform/access.ts';
import { ForbiddenError } from '../../platform/errors.ts';

/** The jurisdiction a caller belongs to: the token's claim, else the upgrade default. */
export const callerJurisdiction = (actor: Pick<Actor, 'jurisdiction'>, upgradeDefault: string): string =>
  actor.jurisdiction ?? upgradeDefault;

/**
 * The one check of who may read a jurisdiction, kept small so that it can move into the central access
 * policy: a caller reads only their own jurisdiction, the token's `custom:jurisdiction` claim, or
 * `upgradeDefault` for a token without one (accounts made before jurisdictions existed).
 */
export const assertOwnJurisdiction = (
  actor: Pick<Actor, 'jurisdiction'>,
  jurisdictionId: string,
  upgradeDefault: string,
): void => {
  const own = callerJurisdiction(actor, upgradeDefault);
  if (own !== jurisdictionId) {
    throw new ForbiddenError(
      `Jurisdiction "${jurisdictionId}" is not yours; your account belongs to "${own}" (GET /jurisdictions).`,
      { jurisdiction: jurisdictionId },
    );
  }
};
