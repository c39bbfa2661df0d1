/** Error codes of RFC 6749 §5.2 (and RFC 8707, RFC 7591) that the OAuth endpoints return. */
export const OAUTH_ERROR_CODES = [
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'invalid_target',
  'invalid_client_metadata',
  'server_error',
  'temporarily_unavailable',
] as const;

/** One of {@link OAUTH_ERROR_CODES}. */
export type OAuthErrorCode = (typeof OAUTH_ERROR_CODES)[number];

/** The JSON body of an OAuth error response (RFC 6749 §5.2, RFC 7591 §3.2.2). */
export interface OAuthErrorBody {
  error: OAuthErrorCode;
  error_description: string;
}

/**
 * An error of the OAuth token endpoint (RFC 6749 §5.2).
 *
 * `description` is public and fixed per case; `detail` is private: it is logged, never sent.
 */
export class OAuthError extends Error {
  override readonly name = 'OAuthError';

  constructor(
    readonly error: OAuthErrorCode,
    readonly status: number,
    readonly description: string,
    readonly detail?: string,
  ) {
    super(description);
  }

  /** The response body: the code and the public description, never the private detail. */
  toBody(): OAuthErrorBody {
    return { error: this.error, error_description: this.description };
  }
}

/** RFC 6749 §5.2 `invalid_request`. */
export class InvalidRequestError extends OAuthError {
  constructor(description: string, detail?: string) {
    super('invalid_request', 400, description, detail);
  }
}

/**
 * RFC 6749 §5.2 `invalid_client`. Every cause gets the same public body, so that a caller
 * cannot tell an unknown client from a wrong secret, a disabled or an expired client.
 */
export class InvalidClientError extends OAuthError {
  constructor(
    detail: string,
    /** The client authenticated with HTTP Basic: the 401 carries a Basic challenge. */
    readonly usedBasic: boolean,
    /**
     * Refused by a spent failure budget: logged at debug level only, since one line was logged
     * when the budget was spent and a flood must not become a flood of log lines.
     */
    readonly limited = false,
  ) {
    super('invalid_client', 401, 'Client authentication failed.', detail);
  }
}

/** RFC 6749 §5.2 `unauthorized_client`: authenticated, but not allowed to use this endpoint. */
export class UnauthorizedClientError extends OAuthError {
  constructor(description: string, detail?: string) {
    super('unauthorized_client', 403, description, detail);
  }
}

/** RFC 6749 §5.2 `unsupported_grant_type`. */
export class UnsupportedGrantTypeError extends OAuthError {
  constructor(detail?: string) {
    super(
      'unsupported_grant_type',
      400,
      'Only the client_credentials grant type is supported.',
      detail,
    );
  }
}

/** RFC 6749 §5.2 `invalid_scope`. */
export class InvalidScopeError extends OAuthError {
  constructor(description: string, detail?: string) {
    super('invalid_scope', 400, description, detail);
  }
}

/** RFC 8707 §2 `invalid_target`: an unknown, unlisted or ambiguous resource. */
export class InvalidTargetError extends OAuthError {
  constructor(description: string, detail?: string) {
    super('invalid_target', 400, description, detail);
  }
}

/** RFC 7591 §3.2.2 `invalid_client_metadata`. */
export class InvalidClientMetadataError extends OAuthError {
  constructor(description: string, detail?: string) {
    super('invalid_client_metadata', 400, description, detail);
  }
}

/** RFC 6749 §5.2 `server_error`, sent with 500 so that retrying clients back off. */
export class ServerError extends OAuthError {
  constructor(detail: string) {
    super('server_error', 500, 'The authorization server could not handle the request.', detail);
  }
}

/**
 * RFC 6749 §5.2 `temporarily_unavailable` (defined for the authorization endpoint; used here the
 * way clients already understand it): try again after `Retry-After` seconds.
 */
export class TemporarilyUnavailableError extends OAuthError {
  constructor(
    readonly retryAfterSeconds: number,
    description = 'The server is busy; retry later.',
    status = 503,
    detail?: string,
  ) {
    super('temporarily_unavailable', status, description, detail);
  }
}

/** 429 from the token endpoint's issuance quota; carries the seconds until the next attempt. */
export class TooManyRequestsError extends TemporarilyUnavailableError {
  constructor(retryAfterSeconds: number, detail?: string) {
    super(retryAfterSeconds, 'Too many requests; retry later.', 429, detail);
  }
}

/** 405 for any method but POST on the token endpoint, with the `Allow` header. */
export class MethodNotAllowedError extends OAuthError {
  /** @param endpoint how the answer names the endpoint, e.g. `The token endpoint` */
  constructor(
    readonly allow: readonly string[],
    endpoint = 'The token endpoint',
  ) {
    super('invalid_request', 405, `${endpoint} accepts only ${allow.join(' and ')} requests.`);
  }
}
