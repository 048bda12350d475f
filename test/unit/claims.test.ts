import { describe, expect, it } from 'vitest';
import { UnauthorizedError } from '../../shared/platform/errors.ts';
import { actorFromClaims, parseGroups } from '../../shared/platform/http/claims.ts';
import { caught } from './support/caught.ts';

describe('parseGroups', () => {
  it('reads a real array of groups', () => {
    expect(parseGroups(['finance', 'approver-district'])).toEqual(['finance', 'approver-district']);
  });

  it('reads API Gateway\'s string form of an array, "[a b]"', () => {
    expect(parseGroups('[finance approver-district]')).toEqual(['finance', 'approver-district']);
  });

  it('reads the string form of a one-element array', () => {
    expect(parseGroups('[treasury]')).toEqual(['treasury']);
  });

  it('reads the string form of an empty array as no groups', () => {
    expect(parseGroups('[]')).toEqual([]);
  });

  it('reads a bare group name as one group', () => {
    expect(parseGroups('auditor')).toEqual(['auditor']);
  });

  it('reads a JSON-looking string with quotes and commas', () => {
    expect(parseGroups('["planner", "inspector"]')).toEqual(['planner', 'inspector']);
  });

  it('tolerates extra whitespace around and between groups', () => {
    expect(parseGroups('  [ planner   inspector ]  ')).toEqual(['planner', 'inspector']);
  });

  it('gives no groups when the claim is absent', () => {
    expect(parseGroups(undefined)).toEqual([]);
  });
});

describe('actorFromClaims', () => {
  it('builds the actor from sub, email, groups and the custom:commune claim', () => {
    const actor = actorFromClaims({
      sub: 'u-1',
      token_use: 'id',
      email: 'a@tay-giang.gov.vn',
      'cognito:groups': '[approver-commune finance]',
      'custom:commune': 'A Tiêng',
    });

    expect(actor).toEqual({
      sub: 'u-1',
      email: 'a@tay-giang.gov.vn',
      groups: ['approver-commune', 'finance'],
      commune: 'A Tiêng',
    });
  });

  it('leaves out email and commune when the token has none, and gives no groups', () => {
    const actor = actorFromClaims({ sub: 'u-2', token_use: 'id' });

    expect(actor).toEqual({ sub: 'u-2', groups: [] });
  });

  it('leaves out an empty commune claim, so the user is not limited to a commune called ""', () => {
    const actor = actorFromClaims({
      sub: 'u-3',
      token_use: 'id',
      'custom:commune': '',
      'cognito:groups': ['auditor'],
    });

    expect(actor).not.toHaveProperty('commune');
    expect(actor.groups).toEqual(['auditor']);
  });

  it('reads the custom:jurisdiction claim, and leaves it out when absent or empty (the upgrade default applies)', () => {
    const claims = { sub: 'u-6', token_use: 'id', 'cognito:groups': ['planner'] };

    expect(actorFromClaims({ ...claims, 'custom:jurisdiction': 'da-nang' }).jurisdiction).toBe('da-nang');
    expect(actorFromClaims(claims)).not.toHaveProperty('jurisdiction');
    expect(actorFromClaims({ ...claims, 'custom:jurisdiction': '' })).not.toHaveProperty('jurisdiction');
  });

  it.each([
    ['no claims at all', undefined],
    ['no sub', { email: 'x@example.vn' }],
    ['an empty sub', { sub: '' }],
    ['a numeric sub', { sub: 42 }],
    [
      'an access token (which carries no commune claim)',
      { sub: 'u-4', token_use: 'access', 'cognito:groups': ['planner'] },
    ],
    ['no token_use at all', { sub: 'u-5', 'cognito:groups': ['planner'] }],
  ])('refuses a token with %s as unauthorized', (_, claims) => {
    const error = caught(() => actorFromClaims(claims));

    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error).toMatchObject({ code: 'unauthorized', status: 401 });
  });
});
