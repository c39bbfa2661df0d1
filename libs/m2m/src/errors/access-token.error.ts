/** Why an access token was refused, in RFC 6750 §3.1 terms. */
export type AccessTokenErrorCode = 'invalid_token' | 'insufficient_scope';

/** Thrown by `verifyAccessToken`: the token is invalid, or lacks a required scope. */
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
