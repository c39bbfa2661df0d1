import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors as joseErrors,
  jwtVerify,
  type JSONWebKeySet,
} from 'jose';
import type { M2mPrincipal } from '../domain/principal.js';
import {
  ACCESS_TOKEN_ALGORITHMS,
  readAccessTokenClaims,
  requireScopes,
} from './access-token-claims.js';
import { AccessTokenError } from './access-token.error.js';

/** Where a resource server finds the authorization server's keys and what it pins. */
export interface M2mAccessTokenVerifierOptions {
  /** The authorization server's issuer (`iss`), e.g. `https://auth.example.com`. */
  issuer: string;
  /** The audience this resource server accepts (`aud`). */
  audience: string;
  /** JWKS URL. @default `${issuer}/.well-known/jwks.json` */
  jwksUri?: string;
  /** A fixed JWKS instead of fetching one (tests, air-gapped set-ups). */
  jwks?: JSONWebKeySet;
  /** Leeway for `exp` and `nbf`, in seconds. @default 5 */
  clockToleranceSeconds?: number;
  /** After an unknown `kid`, the JWKS is fetched again at most this often. @default 30000 */
  jwksCooldownMs?: number;
  /** The fetched JWKS is kept this long. @default 600000 */
  jwksCacheMaxAgeMs?: number;
}

/** Options of one verification. */
export interface M2mVerifyOptions {
  /** Every one of these scopes is required. */
  requiredScopes?: readonly string[];
}

/** Verifies one access token; throws `AccessTokenError`. */
export type M2mAccessTokenVerifier = (
  token: string,
  options?: M2mVerifyOptions,
) => Promise<M2mPrincipal>;

/**
 * A framework-free verifier of this module's access tokens, for code outside Nest (workers,
 * other frameworks, serverless functions). Keys come from the issuer's JWKS, cached, and
 * fetched again on an unknown `kid` with a cooldown; no database is involved.
 *
 * @example
 * ```ts
 * const verifyAccessToken = createAccessTokenVerifier({ issuer: 'https://auth.example.com', audience: 'https://api.example.com' });
 * const client = await verifyAccessToken(token, { requiredScopes: ['orders:read'] });
 * ```
 */
export function createAccessTokenVerifier(
  options: M2mAccessTokenVerifierOptions,
): M2mAccessTokenVerifier {
  const issuer = options.issuer.replace(/\/+$/, '');
  const keys =
    options.jwks !== undefined
      ? createLocalJWKSet(options.jwks)
      : createRemoteJWKSet(new URL(options.jwksUri ?? `${issuer}/.well-known/jwks.json`), {
          cooldownDuration: options.jwksCooldownMs ?? 30_000,
          cacheMaxAge: options.jwksCacheMaxAgeMs ?? 600_000,
        });
  return async (token, verify = {}) => {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        algorithms: ACCESS_TOKEN_ALGORITHMS,
        typ: 'at+jwt',
        issuer,
        audience: options.audience,
        clockTolerance: options.clockToleranceSeconds ?? 5,
        requiredClaims: ['exp', 'iat', 'jti', 'sub'],
      }));
    } catch (error) {
      throw new AccessTokenError(
        'invalid_token',
        error instanceof joseErrors.JOSEError ? error.code : 'unexpected error',
      );
    }
    const { principal } = readAccessTokenClaims(payload);
    requireScopes(principal, verify.requiredScopes ?? []);
    return principal;
  };
}
