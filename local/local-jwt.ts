import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, jwtVerify, SignJWT } from 'jose';

/** Locally signed JWTs stand in for Cognito ID tokens: same claim names, RS256. */
export const LOCAL_ISSUER = 'https://giai-ngan.local/issuer';
export const LOCAL_AUDIENCE = 'giai-ngan-local';
const ALG = 'RS256';
/**
 * How far the token issuer's clock may run ahead of the gateway's, in seconds: a token issued
 * (`iat`) or valid from (`nbf`) later than now plus this, or expired (`exp`) earlier than now minus
 * this, is refused, as API Gateway's JWT authorizer refuses it.
 */
export const CLOCK_SKEW_SECONDS = 60;

export interface LocalKeys {
  sign: (claims: TokenClaims, ttlSeconds?: number, notBefore?: number) => Promise<string>;
  verify: (token: string) => Promise<JWTPayload>;
}

export interface TokenClaims {
  sub: string;
  groups: string[];
  email?: string;
  commune?: string;
  jurisdiction?: string;
}

/** Loads the local signing key from `file`, creating it on first use (the gateway and `npm run token` share it). */
export const loadLocalKeys = async (file: string): Promise<LocalKeys> => {
  let jwk: JWK;
  try {
    jwk = JSON.parse(readFileSync(file, 'utf8')) as JWK;
  } catch {
    const { privateKey } = await generateKeyPair(ALG, { extractable: true });
    const created = { ...(await exportJWK(privateKey)), alg: ALG, kid: `local-${Date.now()}` };
    mkdirSync(dirname(file), { recursive: true });
    try {
      writeFileSync(file, JSON.stringify(created), { flag: 'wx', mode: 0o600 });
      chmodSync(file, 0o600);
      jwk = created;
    } catch {
      jwk = JSON.parse(readFileSync(file, 'utf8')) as JWK; // another process created it first
    }
  }
  const privateKey = await importJWK(jwk, ALG);
  const { d: _, p: __, q: ___, dp: ____, dq: _____, qi: ______, ...publicJwk } = jwk;
  const publicKey = await importJWK(publicJwk, ALG);
  return {
    sign: (claims, ttlSeconds = 8 * 3600, notBefore) =>
      new SignJWT({
        ...(claims.email ? { email: claims.email } : {}),
        'cognito:groups': claims.groups,
        ...(claims.commune ? { 'custom:commune': claims.commune } : {}),
        ...(claims.jurisdiction ? { 'custom:jurisdiction': claims.jurisdiction } : {}),
        token_use: 'id',
      })
        .setProtectedHeader({ alg: ALG, kid: jwk.kid ?? 'local', typ: 'JWT' })
        .setSubject(claims.sub)
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setIssuedAt()
        .setNotBefore(notBefore ?? Math.floor(Date.now() / 1000) - 5)
        .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
        .sign(privateKey),
    verify: async (token) => {
      const { payload } = await jwtVerify(token, publicKey, {
        algorithms: [ALG],
        issuer: LOCAL_ISSUER,
        audience: LOCAL_AUDIENCE,
        // Cognito always sets exp; a token without one would never expire.
        requiredClaims: ['exp'],
        clockTolerance: CLOCK_SKEW_SECONDS,
      });
      // jose checks iat only against a maximum age; one from the future is refused here.
      if (payload.iat !== undefined && payload.iat > Date.now() / 1000 + CLOCK_SKEW_SECONDS) {
        throw new Error('the token is issued in the future');
      }
      return payload;
    },
  };
};
