import { createLocalJWKSet, createRemoteJWKSet } from 'jose';
import { JWKS_PATH } from '../domain/jwks-path.js';
import type { M2mPrincipal } from '../domain/principal.js';
import { requireScopes } from './access-token-claims.js';
import { DEFAULT_CLOCK_TOLERANCE_SECONDS } from '../options/defaults.js';
import type { M2mAccessTokenVerifierOptions } from '../options/resource-server-options.js';
import {
  verifyAccessTokenJws,
  type AccessTokenKeyResolver,
  type AccessTokenPins,
} from './access-token-jws.js';

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
 * fetched again on an unknown `kid` with a cooldown; no database is involved. The checks are the
 * guard's: `typ`, `iss`, `aud`, lifetime, an asymmetric algorithm and the RFC 9068 claims.
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
  const pins: AccessTokenPins = {
    issuer: options.issuer.replace(/\/+$/, ''),
    audience: options.audience,
    clockToleranceSeconds: options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS,
  };
  const keys: AccessTokenKeyResolver =
    options.jwks !== undefined
      ? createLocalJWKSet(options.jwks)
      : createRemoteJWKSet(new URL(options.jwksUri ?? `${pins.issuer}/${JWKS_PATH}`), {
          cooldownDuration: options.jwksCooldownMs ?? 30_000,
          cacheMaxAge: options.jwksCacheMaxAgeMs ?? 600_000,
        });
  return async (token, verify = {}) => {
    const { principal } = await verifyAccessTokenJws(token, keys, pins);
    requireScopes(principal, verify.requiredScopes ?? []);
    return principal;
  };
}
