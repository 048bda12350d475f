import { describe, expect, it } from 'vitest';
import {
  type AccessScope,
  assertAnyRole,
  assertDistrictWide,
  assertReaches,
  hasRole,
  isDistrictWide,
  mayReach,
  narrowFilter,
  reachable,
  reachesEverything,
  restrictFilter,
  scopeOf,
} from '../../shared/platform/access.ts';
import { ForbiddenError } from '../../shared/platform/errors.ts';
import { ROLES } from '../../shared/platform/roles.ts';
import { caught } from './support/caught.ts';

const HOME = 'A Tiêng';
const OTHER = 'Dang';
const ACCOUNTS = [
  { label: 'district-wide', commune: undefined },
  { label: `limited to ${HOME}`, commune: HOME },
] as const;
const RESOURCES = [
  { label: `in ${HOME}`, commune: HOME },
  { label: `in ${OTHER}`, commune: OTHER },
  { label: 'about no commune', commune: undefined },
] as const;

/** Every role × account reach × resource place, with the answer the policy must give. */
const TABLE = ROLES.flatMap((role) =>
  ACCOUNTS.flatMap((account) =>
    RESOURCES.map((resource) => ({
      role,
      account,
      resource,
      reaches: account.commune === undefined || resource.commune === account.commune,
    })),
  ),
);

const scope = (role: string, commune?: string): AccessScope =>
  scopeOf({ groups: [role], ...(commune !== undefined ? { commune } : {}) });

describe('the access-scope policy', () => {
  it('derives the scope from the token: its groups as roles, its commune claim as reach', () => {
    expect(scopeOf({ groups: ['planner', 'auditor'], commune: HOME })).toEqual({
      roles: ['planner', 'auditor'],
      reach: { jurisdiction: 'tay-giang', commune: HOME },
    });
    expect(scopeOf({ groups: ['finance'] })).toEqual({
      roles: ['finance'],
      reach: { jurisdiction: 'tay-giang' },
    });
    expect(scopeOf({ groups: ['finance'], jurisdiction: 'da-nang' })).toEqual({
      roles: ['finance'],
      reach: { jurisdiction: 'da-nang' },
    });
  });

  describe('across jurisdictions', () => {
    const daNang = scopeOf({ groups: ['planner'], jurisdiction: 'da-nang' });
    const tayGiang = scopeOf({ groups: ['planner'] });
    const older = { commune: HOME }; // stored before jurisdictions: Tây Giang's

    it('reaches only its own jurisdiction’s resources; one stored without a jurisdiction is the upgrade default’s', () => {
      expect(mayReach(daNang, { jurisdiction: 'da-nang', commune: 'Hùng Sơn' })).toBe(true);
      expect(mayReach(daNang, older)).toBe(false);
      expect(mayReach(daNang, { jurisdiction: 'tay-giang', commune: HOME })).toBe(false);
      expect(mayReach(tayGiang, older)).toBe(true);
      expect(mayReach(tayGiang, { jurisdiction: 'da-nang', commune: HOME })).toBe(false);
      expect(reachable(tayGiang, [older, { jurisdiction: 'da-nang', commune: HOME }])).toEqual([older]);
    });

    it('refuses another jurisdiction’s resource with 403, naming neither its jurisdiction nor its commune', () => {
      for (const refusal of ['record', 'alert', 'decide', 'watch'] as const) {
        const error = caught(() => assertReaches(daNang, older, refusal));
        expect(error).toBeInstanceOf(ForbiddenError);
        expect(error.message).toBe(
          'Your account works for da-nang; this is not part of it. Ask an administrator of that jurisdiction.',
        );
        expect(error.message).not.toContain(HOME);
      }
    });

    it('narrows every list to the caller’s jurisdiction and refuses a filter naming another', () => {
      expect(restrictFilter(daNang, { fiscalYear: 2026 })).toEqual({
        fiscalYear: 2026,
        jurisdiction: 'da-nang',
      });
      const error = caught(() => restrictFilter(daNang, { jurisdiction: 'tay-giang' }));
      expect(error).toBeInstanceOf(ForbiddenError);
      expect(error.message).toBe('Your account is limited to da-nang.');
    });
  });

  describe.each(TABLE)(
    'a $role $account.label, a resource $resource.label',
    ({ role, account, resource, reaches }) => {
      const s = scope(role, account.commune);

      it(`${reaches ? 'reaches' : 'does not reach'} it, whatever the role`, () => {
        expect(mayReach(s, resource)).toBe(reaches);
        expect(reachable(s, [resource])).toEqual(reaches ? [resource] : []);
      });

      it(reaches ? 'is let through' : 'is refused with 403 forbidden, naming their commune', () => {
        if (reaches) {
          expect(() => assertReaches(s, resource)).not.toThrow();
          return;
        }
        const error = caught(() => assertReaches(s, resource));
        expect(error).toBeInstanceOf(ForbiddenError);
        expect(error.message).toBe(
          `Your account is limited to ${HOME}; this belongs to ${resource.commune}.`,
        );
      });

      it('holds its own role and no other', () => {
        expect(hasRole(s, role)).toBe(true);
        expect(ROLES.filter((r) => hasRole(s, r))).toEqual([role]);
      });
    },
  );

  it('says what to do in each kind of refusal', () => {
    const limited = scope('inspector', HOME);
    const elsewhere = { commune: OTHER };
    expect(caught(() => assertReaches(limited, elsewhere, 'alert')).message).toBe(
      `Your account is limited to ${HOME}; this alert is not about it.`,
    );
    expect(caught(() => assertReaches(limited, elsewhere, 'decide')).message).toBe(
      `You may only act on requests of ${HOME}.`,
    );
    const watch = caught(() => assertReaches(limited, {}, 'watch')) as ForbiddenError;
    expect(watch.message).toBe(`Your account is limited to ${HOME}: subscribe with scope.commune "${HOME}".`);
    expect(watch.details).toEqual({ commune: HOME });
  });

  it.each([
    { account: undefined, asked: undefined, gives: {} },
    { account: undefined, asked: OTHER, gives: { commune: OTHER } },
    { account: HOME, asked: undefined, gives: { commune: HOME } },
    { account: HOME, asked: HOME, gives: { commune: HOME } },
  ])('narrows a list filter: account $account, filter $asked → $gives', ({ account, asked, gives }) => {
    const filter = { fiscalYear: 2024, ...(asked !== undefined ? { commune: asked } : {}) };
    expect(restrictFilter(scope('planner', account), filter)).toEqual({
      fiscalYear: 2024,
      jurisdiction: 'tay-giang',
      ...gives,
    });
  });

  it('refuses a filter naming another commune than the account’s, rather than replacing it', () => {
    const error = caught(() => restrictFilter(scope('auditor', HOME), { commune: OTHER }));
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error.message).toBe(`Your account is limited to ${HOME}.`);
  });

  it('narrows without a check where the read is already made (the commune an audit entry is about)', () => {
    expect(narrowFilter(scope('auditor', HOME), { commune: OTHER })).toEqual({
      commune: HOME,
      jurisdiction: 'tay-giang',
    });
    expect(narrowFilter(scope('auditor'), { commune: OTHER })).toEqual({
      commune: OTHER,
      jurisdiction: 'tay-giang',
    });
    expect(narrowFilter(scope('auditor'), { commune: undefined }).commune).toBeUndefined();
  });

  it('lets in a route’s caller holding one of its roles, and names the roles to a caller who holds none', () => {
    expect(() => assertAnyRole(scope('planner'), ['finance', 'planner'], 'POST /allocations')).not.toThrow();
    const error = caught(() => assertAnyRole(scope('auditor'), ['finance', 'planner'], 'POST /allocations'));
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error.message).toBe('POST /allocations needs one of the groups: finance, planner.');
    expect((error as ForbiddenError).details).toEqual({ requiredGroups: ['finance', 'planner'] });
    expect(() => assertAnyRole(scopeOf({ groups: [] }), ['planner'], 'GET /x')).toThrow(ForbiddenError);
  });

  it('leaves plan-wide figures to district-wide accounts; a commune-scoped one may only read them', () => {
    expect(isDistrictWide(scope('planner'))).toBe(true);
    expect(reachesEverything(scope('planner'))).toBe(true);
    expect(() => assertDistrictWide(scope('planner'), 'Plan indicators')).not.toThrow();
    expect(isDistrictWide(scope('planner', HOME))).toBe(false);
    expect(reachesEverything(scope('planner', HOME))).toBe(false);
    expect(caught(() => assertDistrictWide(scope('planner', HOME), 'Plan indicators')).message).toBe(
      `Plan indicators are district-wide; your account is limited to ${HOME}, so it may read them but not change them.`,
    );
  });
});
