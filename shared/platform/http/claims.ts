import type { Actor } from '../access.ts';
import { UnauthorizedError } from '../errors.ts';

type Claims = Record<string, string | number | boolean | string[]>;

/**
 * Groups from a `cognito:groups` claim. API Gateway's JWT authorizer passes arrays as a string like
 * `[a b]`; a token read directly has a real array. Both are accepted.
 */
export const parseGroups = (value: Claims[string] | undefined): string[] => {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.map(String);
  const text = String(value).trim();
  const inner = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  return inner
    .split(/[\s,]+/)
    .map((g) => g.replace(/^"|"$/g, ''))
    .filter((g) => g.length > 0);
};

/** The caller, from the JWT claims the authorizer passed on. */
export const actorFromClaims = (claims: Claims | undefined): Actor => {
  const sub = claims?.sub;
  if (typeof sub !== 'string' || sub.length === 0)
    throw new UnauthorizedError('The token carries no subject.');
  // Cognito access tokens pass the authorizer too but carry no `custom:commune`: accepting one would
  // lift a commune-scoped user's limit. Only ID tokens identify a user here.
  if (claims?.token_use !== 'id') {
    throw new UnauthorizedError('Send the ID token (token_use "id"), not an access token.');
  }
  const email = claims?.email;
  const commune = claims?.['custom:commune'];
  const jurisdiction = claims?.['custom:jurisdiction'];
  return {
    sub,
    groups: parseGroups(claims?.['cognito:groups']),
    ...(typeof email === 'string' && email ? { email } : {}),
    ...(typeof commune === 'string' && commune ? { commune } : {}),
    ...(typeof jurisdiction === 'string' && jurisdiction ? { jurisdiction } : {}),
  };
};
