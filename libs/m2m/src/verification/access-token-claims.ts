import type { JWTPayload } from 'jose';
import type { M2mPrincipal } from '../domain/principal.js';
import { M2M_SIGNING_ALGORITHMS } from '../options/module-options.js';
import type { M2mClientMetadata } from '../domain/client.js';
import { AccessTokenError } from '../errors/access-token.error.js';

/** The asymmetric JWS algorithms a verifier accepts; never `none`, never HMAC. */
export const ACCESS_TOKEN_ALGORITHMS: string[] = [...M2M_SIGNING_ALGORITHMS];

/** What a verified access token says. */
export interface AccessTokenClaims {
  principal: M2mPrincipal;
  /** Revocation generation of the client when the token was issued. */
  tokenVersion: number;
}

function isMetadata(value: unknown): value is M2mClientMetadata {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads the claims of a token whose signature, `iss`, `aud`, `typ` and lifetime are already
 * verified. RFC 9068 §2.2 claims are required; `sub` is the client for client credentials.
 */
export function readAccessTokenClaims(payload: JWTPayload): AccessTokenClaims {
  const {
    client_id: clientId,
    scope,
    sub,
    jti,
    exp,
    iat,
    token_version: tokenVersion = 0,
    owner_id: ownerId = null,
    metadata,
  } = payload as JWTPayload & {
    client_id?: unknown;
    scope?: unknown;
    token_version?: unknown;
    owner_id?: unknown;
    metadata?: unknown;
  };
  if (
    typeof clientId !== 'string' ||
    sub !== clientId ||
    typeof jti !== 'string' ||
    typeof exp !== 'number' ||
    typeof iat !== 'number' ||
    (scope !== undefined && typeof scope !== 'string') ||
    !Number.isInteger(tokenVersion) ||
    (ownerId !== null && typeof ownerId !== 'string') ||
    (metadata !== undefined && !isMetadata(metadata))
  ) {
    throw new AccessTokenError('invalid_token', 'required claims missing or mistyped');
  }
  return {
    principal: {
      clientId,
      scopes: scope === undefined ? [] : scope.split(' ').filter((s) => s !== ''),
      tokenId: jti,
      expiresAt: new Date(exp * 1000),
      issuedAt: new Date(iat * 1000),
      ownerId,
      ...(metadata === undefined ? {} : { metadata }),
    },
    tokenVersion: tokenVersion as number,
  };
}

/** Throws `insufficient_scope` unless the principal has every required scope. */
export function requireScopes(principal: M2mPrincipal, required: readonly string[]): void {
  if (!required.every((scope) => principal.scopes.includes(scope))) {
    throw new AccessTokenError('insufficient_scope', `required: ${required.join(' ')}`, required);
  }
}
