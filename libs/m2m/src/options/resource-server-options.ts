import type { JSONWebKeySet } from 'jose';
import { M2mConfigurationError } from '../errors/m2m-configuration.error.js';

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

/** Options of `M2mModule.forResourceServer()`: where the tokens come from and what to pin. */
export interface M2mResourceServerOptions extends M2mAccessTokenVerifierOptions {
  /** `realm` of the `WWW-Authenticate` challenges. @default 'm2m' */
  realm?: string;
}

/** Validates the resource-server options; the message names the option at fault. */
export function validateResourceServerOptions(
  options: M2mResourceServerOptions,
): M2mResourceServerOptions {
  const fail = (message: string): never => {
    throw new M2mConfigurationError(`M2mModule.forResourceServer: ${message}`);
  };
  try {
    new URL(options.issuer);
  } catch {
    fail('`issuer` must be the authorization server’s issuer URL, e.g. https://auth.example.com.');
  }
  if (typeof options.audience !== 'string' || options.audience === '') {
    fail('`audience` is required: the `aud` this API accepts.');
  }
  if (options.jwksUri !== undefined) {
    try {
      new URL(options.jwksUri);
    } catch {
      fail('`jwksUri` must be an absolute URL.');
    }
  }
  return options;
}
