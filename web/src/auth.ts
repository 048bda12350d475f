import type { AppConfig } from './config.ts';

/** Who is signed in, read from the ID token's claims (the API checks the signature; this only displays). */
export interface Session {
  token: string;
  sub: string;
  email?: string;
  groups: string[];
  commune?: string;
  expiresAt: number;
}

const TOKEN_KEY = 'giai-ngan.token';
const VERIFIER_KEY = 'giai-ngan.pkce';

const base64UrlDecode = (part: string) => {
  const b64 = part
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(part.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
};

/** Cognito puts groups in an array; API Gateway-style strings `[a b]` are read too. */
const groupsOf = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.map(String)
    : typeof value === 'string'
      ? value
          .replace(/^\[|\]$/g, '')
          .split(/[\s,]+/)
          .filter(Boolean)
      : [];

/** The session of a token, or undefined when it is not a readable, unexpired JWT. */
export const sessionOf = (token: string, now = Date.now()): Session | undefined => {
  const parts = token.trim().split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const claims = JSON.parse(base64UrlDecode(parts[1])) as Record<string, unknown>;
    const exp = typeof claims.exp === 'number' ? claims.exp * 1000 : 0;
    if (typeof claims.sub !== 'string' || exp <= now) return undefined;
    const commune = claims['custom:commune'] ?? claims.commune;
    return {
      token: token.trim(),
      sub: claims.sub,
      ...(typeof claims.email === 'string' ? { email: claims.email } : {}),
      groups: groupsOf(claims['cognito:groups'] ?? claims.groups),
      ...(typeof commune === 'string' ? { commune } : {}),
      expiresAt: exp,
    };
  } catch {
    return undefined;
  }
};

export const storedSession = (): Session | undefined => {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const session = token ? sessionOf(token) : undefined;
  if (!session) sessionStorage.removeItem(TOKEN_KEY);
  return session;
};

export const saveToken = (token: string) => sessionStorage.setItem(TOKEN_KEY, token.trim());
export const signOut = () => sessionStorage.removeItem(TOKEN_KEY);

const randomString = () => {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
};

const challengeOf = async (verifier: string) => {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  return btoa(String.fromCharCode(...digest))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
};

/** The hosted UI's base URL: config.json may give the domain as a host name or as a URL. */
const hostedUi = (cognito: NonNullable<AppConfig['cognito']>) =>
  (/^https:\/\//.test(cognito.domain) ? cognito.domain : `https://${cognito.domain}`).replace(/\/$/, '');

const redirectUri = (cognito: NonNullable<AppConfig['cognito']>) =>
  cognito.redirectUri ?? `${location.origin}${location.pathname}`;

/** Sends the browser to Cognito's hosted UI: authorization code flow with PKCE (S256). */
export const startCognitoSignIn = async (cognito: NonNullable<AppConfig['cognito']>) => {
  const verifier = randomString();
  const state = randomString();
  sessionStorage.setItem(VERIFIER_KEY, JSON.stringify({ verifier, state }));
  const url = new URL(`${hostedUi(cognito)}/oauth2/authorize`);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: cognito.clientId,
    redirect_uri: redirectUri(cognito),
    scope: 'openid email profile',
    state,
    code_challenge: await challengeOf(verifier),
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
};

/** Back from the hosted UI with `?code=`: exchanges it for tokens and keeps the ID token. */
export const finishCognitoSignIn = async (cognito: NonNullable<AppConfig['cognito']>) => {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  if (!code) return;
  const saved = JSON.parse(sessionStorage.getItem(VERIFIER_KEY) ?? '{}') as {
    verifier?: string;
    state?: string;
  };
  sessionStorage.removeItem(VERIFIER_KEY);
  history.replaceState(null, '', `${location.pathname}${location.hash}`);
  if (!saved.verifier || saved.state !== params.get('state')) throw new Error('sign-in state mismatch');
  const res = await fetch(`${hostedUi(cognito)}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: cognito.clientId,
      code,
      redirect_uri: redirectUri(cognito),
      code_verifier: saved.verifier,
    }),
  });
  if (!res.ok) throw new Error(`token exchange failed (${res.status})`);
  const body = (await res.json()) as { id_token?: string };
  if (body.id_token) saveToken(body.id_token);
};
