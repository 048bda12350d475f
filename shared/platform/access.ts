import { ForbiddenError } from './errors.ts';
import type { Role } from './roles.ts';
import { jurisdictionOf } from './tenancy.ts';

/** The caller, as read from the token (platform/http/claims.ts): who they are and what they hold. */
export interface Actor {
  sub: string;
  email?: string;
  groups: string[];
  commune?: string;
  /** The jurisdiction the account belongs to (`custom:jurisdiction`); absent on older tokens. */
  jurisdiction?: string;
}

/**
 * How far an account reaches. Every field set confines it to the resources whose field of the same
 * name holds that value: every rule below (reaching a resource, narrowing a list, binding a cursor)
 * applies each. {@link scopeOf} always sets the jurisdiction; a resource without one belongs to the
 * upgrade default (data stored before jurisdictions).
 */
export interface Reach {
  /** The account's jurisdiction (`custom:jurisdiction`, else the upgrade default): it sees nothing of another. */
  jurisdiction?: string;
  /** A commune-scoped account (`custom:commune`) sees and touches only that commune's data. */
  commune?: string;
}

/** What a resource says about where it lies (an allocation, a request, an alert's or a subscription's scope). */
export type Place = { [K in keyof Reach]?: string | undefined };

/** What a caller may do (their roles, the token's groups) and where (their reach). Derived once, by {@link scopeOf}. */
export interface AccessScope {
  roles: readonly string[];
  reach: Reach;
}

/** The access scope of the caller a token stands for; a token without a jurisdiction is of the upgrade default. */
export const scopeOf = (actor: Pick<Actor, 'groups' | 'commune' | 'jurisdiction'>): AccessScope => ({
  roles: actor.groups,
  reach: {
    jurisdiction: jurisdictionOf(actor),
    ...(actor.commune !== undefined ? { commune: actor.commune } : {}),
  },
});

/** The jurisdiction the caller works in. */
export const jurisdictionOfScope = (scope: Pick<AccessScope, 'reach'>): string => jurisdictionOf(scope.reach);

const REACH_FIELDS = (reach: Reach) =>
  (Object.keys(reach) as (keyof Reach)[]).filter((k) => reach[k] !== undefined);

/** The unit a refusal names: the narrowest the account is confined to. */
const limitOf = (reach: Reach): string => reach.commune ?? reach.jurisdiction ?? '';

/** A place's value of a reach field: a place without a jurisdiction is of the upgrade default. */
const placeValue = (place: Place, k: keyof Reach): string | undefined =>
  k === 'jurisdiction' ? jurisdictionOf(place) : place[k];

/** True when the scope holds the role. */
export const hasRole = (scope: AccessScope, role: Role | string): boolean => scope.roles.includes(role);

/** A route's roles: the caller must hold one of them (403 `forbidden`, naming them, otherwise). */
export const assertAnyRole = (scope: AccessScope, roles: readonly string[], action: string): void => {
  if (!scope.roles.some((r) => roles.includes(r))) {
    throw new ForbiddenError(`${action} needs one of the groups: ${roles.join(', ')}.`, {
      requiredGroups: roles,
    });
  }
};

/** True when the reach confines to nothing but its jurisdiction: the scope sees every resource of it. */
export const reachesEverything = (scope: Pick<AccessScope, 'reach'>): boolean =>
  REACH_FIELDS(scope.reach).every((k) => k === 'jurisdiction');

/** True when the account is not limited to one commune (plan-wide figures are theirs to change). */
export const isDistrictWide = (scope: Pick<AccessScope, 'reach'>): boolean =>
  scope.reach.commune === undefined;

/**
 * True when the resource lies within the scope's reach: in the caller's jurisdiction, and in their
 * commune if they have one. A resource about no commune is out of a commune's reach.
 */
export const mayReach = (scope: Pick<AccessScope, 'reach'>, place: Place): boolean =>
  REACH_FIELDS(scope.reach).every((k) => placeValue(place, k) === scope.reach[k]);

/** The resources of a list that lie within the scope's reach. */
export const reachable = <T extends Place>(scope: Pick<AccessScope, 'reach'>, items: readonly T[]): T[] =>
  items.filter((item) => mayReach(scope, item));

/**
 * Why a resource out of reach is refused, by the kind of resource: each message says what to do.
 * `record`: an allocation or a request (by id, or created for another commune); `alert`: an alert read
 * or acknowledged; `watch`: a subscription's scope; `decide`: a decision on a request.
 */
const REFUSALS = {
  record: (limit: string, place: Place) =>
    `Your account is limited to ${limit}; this belongs to ${place.commune}.`,
  alert: (limit: string) => `Your account is limited to ${limit}; this alert is not about it.`,
  watch: (limit: string) => `Your account is limited to ${limit}: subscribe with scope.commune "${limit}".`,
  decide: (limit: string) => `You may only act on requests of ${limit}.`,
} as const;
export type Refusal = keyof typeof REFUSALS;

/**
 * Refuses (403 `forbidden`) a resource out of the scope's reach. One of another jurisdiction is refused
 * without a word about it (not even its commune).
 */
export const assertReaches = (scope: AccessScope, place: Place, refusal: Refusal = 'record'): void => {
  if (mayReach(scope, place)) return;
  if (jurisdictionOf(place) !== jurisdictionOfScope(scope)) {
    throw new ForbiddenError(
      `Your account works for ${jurisdictionOfScope(scope)}; this is not part of it. Ask an administrator of that jurisdiction.`,
    );
  }
  const message = REFUSALS[refusal](limitOf(scope.reach), place);
  throw new ForbiddenError(message, refusal === 'watch' ? { commune: scope.reach.commune } : undefined);
};

/**
 * Refuses (403 `forbidden`) a change to plan-wide figures by an account limited to one commune; it
 * may still read them. `what` names the figures (`Plan indicators`).
 */
export const assertDistrictWide = (scope: AccessScope, what: string): void => {
  if (isDistrictWide(scope)) return;
  throw new ForbiddenError(
    `${what} are district-wide; your account is limited to ${limitOf(scope.reach)}, so it may read them but not change them.`,
  );
};

/** A filter narrowed to a reach: always within one jurisdiction, the one every read is keyed in. */
export type Narrowed<F> = F & Reach & { jurisdiction: string };

/**
 * A list filter narrowed to the scope's reach, without a check: for a read already made, e.g. the
 * commune an audit-log entry is about (the caller's, or else the one the filter named).
 */
export const narrowFilter = <F extends object>(
  scope: Pick<AccessScope, 'reach'>,
  filter: F,
): Narrowed<F> => ({
  ...filter,
  ...Object.fromEntries(REACH_FIELDS(scope.reach).map((k) => [k, scope.reach[k]])),
  jurisdiction: jurisdictionOfScope(scope),
});

/**
 * A list filter narrowed to the scope's reach: the caller gets their jurisdiction's items (their
 * commune's, when commune-scoped) whatever the filter; naming another jurisdiction or commune is
 * refused (403 `forbidden`), not silently replaced.
 */
export const restrictFilter = <F extends object>(scope: AccessScope, filter: F): Narrowed<F> => {
  const asked: Place = filter;
  for (const k of REACH_FIELDS(scope.reach)) {
    if (asked[k] !== undefined && asked[k] !== scope.reach[k]) {
      throw new ForbiddenError(
        `Your account is limited to ${k === 'jurisdiction' ? scope.reach[k] : limitOf(scope.reach)}.`,
      );
    }
  }
  return narrowFilter(scope, filter);
};
