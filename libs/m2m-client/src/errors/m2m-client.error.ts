/**
 * The base of every error the client throws. Messages name the endpoint and the cause, never a
 * secret, an assertion or a token.
 */
export class M2mClientError extends Error {
  override name = 'M2mClientError';
}

/** The options given to `new M2mTokenClient()` are invalid; the message says what to change. */
export class M2mConfigurationError extends M2mClientError {
  override name = 'M2mConfigurationError';
}

/**
 * The authorization server answered with an OAuth 2.0 error (RFC 6749 §5.2), for example
 * `invalid_client` or `invalid_scope`.
 */
export class M2mOAuthError extends M2mClientError {
  override name = 'M2mOAuthError';

  constructor(
    /** The RFC 6749 `error` code. */
    readonly error: string,
    /** The server's `error_description`, when it sent one. */
    readonly errorDescription: string | undefined,
    /** The HTTP status of the answer. */
    readonly status: number,
    /** How long the server asked to wait (`Retry-After`), in milliseconds. */
    readonly retryAfterMs: number | undefined,
    url: string,
  ) {
    super(
      `${url} answered ${status} ${error}${errorDescription === undefined ? '' : `: ${errorDescription}`}`,
    );
  }
}

/**
 * The server answered, but not with what the protocol expects: a status without an OAuth error
 * body, a body that is not JSON, or a token response without a usable bearer token.
 */
export class M2mResponseError extends M2mClientError {
  override name = 'M2mResponseError';

  constructor(
    message: string,
    /** The HTTP status of the answer. */
    readonly status: number,
    /** How long the server asked to wait (`Retry-After`), in milliseconds. */
    readonly retryAfterMs: number | undefined = undefined,
  ) {
    super(message);
  }
}

/** No answer: the connection failed or the request timed out. */
export class M2mNetworkError extends M2mClientError {
  override name = 'M2mNetworkError';
}
