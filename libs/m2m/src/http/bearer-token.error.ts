import { HttpException } from '@nestjs/common';
import type { AccessTokenError } from '../errors/access-token.error.js';

/** Error codes of RFC 6750 §3.1; `null` when the request carried no token at all. */
export type BearerErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope' | null;

/** What the guard and its error filter need, in both module modes. */
export interface M2mGuardOptions {
  /** `realm` of the `WWW-Authenticate` challenges. */
  realm: string;
}

/**
 * A failed bearer-token check (RFC 6750 §3). Thrown at the HTTP edge; the guard turns a
 * verifier's {@link AccessTokenError} into one.
 *
 * It extends `HttpException` on purpose: should a host's catch-all exception filter take it
 * before ours, the caller still gets the right status, never a 500. The `WWW-Authenticate`
 * challenge is built by {@link bearerChallenge}.
 */
export class BearerTokenError extends HttpException {
  constructor(
    readonly error: BearerErrorCode,
    status: 400 | 401 | 403,
    readonly description: string,
    /** Private cause, logged at debug level and never sent. */
    readonly detail?: string,
    /** RFC 6750 §3 `scope` attribute for `insufficient_scope`. */
    readonly scope?: string,
  ) {
    super({ error, error_description: description }, status);
  }

  /** No token in the request (none, or only in the query, body or another scheme). */
  static missing(): BearerTokenError {
    return new BearerTokenError(null, 401, 'A bearer access token is required.');
  }

  /** The Authorization header uses the Bearer scheme but is malformed. */
  static malformed(detail: string): BearerTokenError {
    return new BearerTokenError(
      'invalid_request',
      400,
      'The Authorization header is malformed.',
      detail,
    );
  }

  /** The token failed verification. */
  static invalid(detail: string): BearerTokenError {
    return new BearerTokenError(
      'invalid_token',
      401,
      'The access token is invalid or has expired.',
      detail,
    );
  }

  /** The token is valid but lacks at least one required scope. */
  static insufficientScope(required: readonly string[]): BearerTokenError {
    const scope = required.join(' ');
    return new BearerTokenError(
      'insufficient_scope',
      403,
      'The access token does not carry the required scope.',
      `required scope: ${scope}`,
      scope,
    );
  }

  /** The HTTP answer to a verifier's refusal: 401 `invalid_token` or 403 `insufficient_scope`. */
  static fromAccessTokenError(error: AccessTokenError): BearerTokenError {
    return error.code === 'insufficient_scope'
      ? BearerTokenError.insufficientScope(error.requiredScopes)
      : BearerTokenError.invalid(error.detail);
  }
}

/** Quotes a value as an RFC 9110 §5.6.4 quoted-string. */
function quoted(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

/** The RFC 6750 §3 `WWW-Authenticate` value for a failed check. */
export function bearerChallenge(realm: string, error: BearerTokenError): string {
  const params = [`realm=${quoted(realm)}`];
  if (error.error !== null) {
    params.push(`error=${quoted(error.error)}`);
    params.push(`error_description=${quoted(error.description)}`);
  }
  if (error.scope !== undefined) {
    params.push(`scope=${quoted(error.scope)}`);
  }
  return `Bearer ${params.join(', ')}`;
}
