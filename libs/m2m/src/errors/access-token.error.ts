/** Why an access token was refused, in RFC 6750 §3.1 terms. */
export type AccessTokenErrorCode = 'invalid_token' | 'insufficient_scope';

/**
 * Why an access token was refused: the token is invalid, or lacks a required scope. Thrown by
 * every verifier (`createAccessTokenVerifier`, `TokenVerifier`, resource-server mode); the guard
 * and the bearer exception filter turn it into an RFC 6750 answer.
 */
export class AccessTokenError extends Error {
  override readonly name = 'AccessTokenError';

  constructor(
    readonly code: AccessTokenErrorCode,
    /** Why, for logs; never send it to the caller. */
    readonly detail: string,
    /** For `insufficient_scope`: every scope that was required. */
    readonly requiredScopes: readonly string[] = [],
  ) {
    super(
      code === 'invalid_token'
        ? 'The access token is invalid or has expired.'
        : 'The access token does not carry the required scope.',
    );
  }
}
