import { applyDecorators } from '@nestjs/common';
import type { HeadersObject } from '@nestjs/swagger';
import {
  ApiErrorResponse,
  DATABASE_RETRY_AFTER_HEADER,
  NO_STORE_HEADERS,
  retryAfterHeader,
  type ErrorExample,
} from '../errors/api-error-response.decorator.js';
import {
  bearerChallengeHeader,
  EXAMPLE_REALM,
  INVALID_TOKEN_EXAMPLE,
  MALFORMED_BEARER_EXAMPLE,
  NO_TOKEN_EXAMPLE,
} from '../errors/bearer-responses.decorator.js';
import { BearerTokenError } from '../errors/bearer-token.error.js';
import {
  basicChallenge,
  databaseUnavailableError,
  frameworkRejectionError,
} from '../errors/oauth-exception.filter.js';
import {
  InvalidClientError,
  InvalidClientMetadataError,
  InvalidRequestError,
  InvalidScopeError,
  InvalidTargetError,
  OAuthError,
  TemporarilyUnavailableError,
  TooManyRequestsError,
  UnauthorizedClientError,
  UnsupportedGrantTypeError,
  type OAuthErrorBody,
} from '../errors/oauth.error.js';
import { requestErrorAnswer } from '../http/request-errors.js';

// The examples are built from the errors the endpoints throw, so that each shows a real body.

function oauth(summary: string, error: OAuthError): ErrorExample<OAuthErrorBody> {
  return { summary, value: error.toBody() };
}

/** The body sent for a request body the endpoint cannot read (see `requestErrorAnswer`). */
function unreadable(kind: 'unparsable' | 'too_large'): OAuthErrorBody {
  return requestErrorAnswer(kind, '/oauth2/token')!.body as OAuthErrorBody;
}

const UNPARSABLE_BODY: ErrorExample<OAuthErrorBody> = {
  summary: 'Body that cannot be parsed',
  value: unreadable('unparsable'),
};

/** Examples of the 400 answers shared by the introspection and revocation endpoints. */
const MISSING_TOKEN = oauth(
  'No token parameter',
  new InvalidRequestError('The token parameter is required.'),
);

/** The errors every client-authenticated endpoint can answer besides its own 400 and 403. */
function ClientAuthenticationErrors(): MethodDecorator {
  return applyDecorators(
    ApiErrorResponse(
      401,
      'invalid_client: unknown client, wrong secret or assertion, disabled or expired client; always the same body.',
      {
        oauth: {
          'invalid-client': oauth('Client authentication failed', new InvalidClientError('', true)),
        },
      },
      {
        ...NO_STORE_HEADERS,
        'WWW-Authenticate': {
          description: 'RFC 6749 §5.2: a Basic challenge when the client used HTTP Basic.',
          required: false,
          schema: { type: 'string', pattern: '^Basic realm="' },
          example: basicChallenge(EXAMPLE_REALM),
        },
      },
    ),
    ApiErrorResponse(
      413,
      'The request body is larger than the server accepts.',
      { oauth: { 'too-large': { summary: 'Body too large', value: unreadable('too_large') } } },
      NO_STORE_HEADERS,
    ),
    ApiErrorResponse(
      503,
      'temporarily_unavailable: too many secret verifications waiting, or the database cannot be reached.',
      {
        oauth: {
          busy: oauth('Verification queue full', new TemporarilyUnavailableError(1)),
          'database-unavailable': oauth('Database unavailable', databaseUnavailableError()),
        },
      },
      { ...NO_STORE_HEADERS, 'Retry-After': retryAfterHeader(1) },
    ),
  );
}

/** The error answers of the token endpoint (RFC 6749 §5.2). */
export function ApiTokenErrors(): MethodDecorator {
  return applyDecorators(
    ApiErrorResponse(
      400,
      'invalid_request, unsupported_grant_type, invalid_scope or invalid_target (RFC 8707).',
      {
        oauth: {
          'missing-grant-type': oauth(
            'No grant_type',
            new InvalidRequestError('The grant_type parameter is required.'),
          ),
          'unsupported-grant-type': oauth('Other grant type', new UnsupportedGrantTypeError()),
          'invalid-scope': oauth(
            'Scope not allowed',
            new InvalidScopeError(
              'The requested scope is invalid, unknown, or exceeds what the client is allowed.',
            ),
          ),
          'invalid-target': oauth(
            'Resource not allowed',
            new InvalidTargetError(
              'The requested resource is unknown or not allowed for this client.',
            ),
          ),
          'unparsable-body': UNPARSABLE_BODY,
        },
      },
      NO_STORE_HEADERS,
    ),
    ClientAuthenticationErrors(),
    ApiErrorResponse(
      429,
      'temporarily_unavailable: the client is past its issuance quota.',
      { oauth: { quota: oauth('Issuance quota spent', new TooManyRequestsError(30)) } },
      { ...NO_STORE_HEADERS, 'Retry-After': retryAfterHeader(30) },
    ),
  );
}

/** The error answers of the introspection endpoint (RFC 7662 §2.3). */
export function ApiIntrospectionErrors(): MethodDecorator {
  return applyDecorators(
    ApiErrorResponse(
      400,
      'invalid_request.',
      { oauth: { 'missing-token': MISSING_TOKEN, 'unparsable-body': UNPARSABLE_BODY } },
      NO_STORE_HEADERS,
    ),
    ClientAuthenticationErrors(),
    ApiErrorResponse(
      403,
      'unauthorized_client: the client lacks the m2m:introspect scope.',
      {
        oauth: {
          'unauthorized-client': oauth(
            'Not allowed to introspect',
            new UnauthorizedClientError('The client is not allowed to introspect tokens.'),
          ),
        },
      },
      NO_STORE_HEADERS,
    ),
  );
}

/** The error answers of the revocation endpoint (RFC 7009 §2.2.1). */
export function ApiRevocationErrors(): MethodDecorator {
  return applyDecorators(
    ApiErrorResponse(
      400,
      'invalid_request: no token, or a token of another client.',
      {
        oauth: {
          'missing-token': MISSING_TOKEN,
          'foreign-token': oauth(
            'Token of another client',
            new InvalidRequestError('The token was not issued to this client.'),
          ),
          'unparsable-body': UNPARSABLE_BODY,
        },
      },
      NO_STORE_HEADERS,
    ),
    ClientAuthenticationErrors(),
  );
}

/** Options of {@link ApiRegistrationErrors}. */
export interface RegistrationErrorOptions {
  /** The route reads client metadata: it can be invalid, unparsable or too large. */
  body?: boolean;
}

/** Headers an OAuth error carries and a bearer problem does not. */
const SOMETIMES_NO_STORE: HeadersObject = Object.fromEntries(
  Object.entries(NO_STORE_HEADERS).map(([name, header]) => [name, { ...header, required: false }]),
);

/**
 * The error answers of dynamic client registration (RFC 7591 §3.2.2, RFC 7592): OAuth errors
 * for the metadata, RFC 6750 problems for the bearer token (initial or registration access
 * token), and 404 while registration is off.
 */
export function ApiRegistrationErrors(options: RegistrationErrorOptions = {}): MethodDecorator {
  const badRequest: Record<string, ErrorExample<OAuthErrorBody>> = {};
  if (options.body === true) {
    badRequest['invalid-client-metadata'] = oauth(
      'Metadata this server does not accept',
      new InvalidClientMetadataError('Only the client_credentials grant type can be registered.'),
    );
    badRequest['unparsable-body'] = UNPARSABLE_BODY;
  }
  const decorators = [
    ApiErrorResponse(
      400,
      options.body === true
        ? 'invalid_client_metadata or an unreadable body (OAuth error), or a malformed Authorization header (problem details).'
        : 'Malformed Authorization header.',
      {
        ...(options.body === true ? { oauth: badRequest } : {}),
        problem: { 'malformed-authorization': MALFORMED_BEARER_EXAMPLE },
      },
      {
        ...(options.body === true ? SOMETIMES_NO_STORE : {}),
        'WWW-Authenticate': bearerChallengeHeader(
          BearerTokenError.malformed(''),
          options.body !== true,
        ),
      },
    ),
    ApiErrorResponse(
      401,
      'No bearer token, or not a valid initial or registration access token.',
      { problem: { 'no-token': NO_TOKEN_EXAMPLE, 'invalid-token': INVALID_TOKEN_EXAMPLE } },
      { 'WWW-Authenticate': bearerChallengeHeader(BearerTokenError.invalid('')) },
    ),
    ApiErrorResponse(
      404,
      'Dynamic registration is off (the `dynamicRegistration` option is not set).',
      { oauth: { 'registration-off': oauth('Registration off', frameworkRejectionError(404)) } },
      NO_STORE_HEADERS,
    ),
    ApiErrorResponse(
      503,
      'temporarily_unavailable: the database cannot be reached.',
      {
        oauth: {
          'database-unavailable': oauth('Database unavailable', databaseUnavailableError()),
        },
      },
      { ...NO_STORE_HEADERS, 'Retry-After': DATABASE_RETRY_AFTER_HEADER },
    ),
  ];
  if (options.body === true) {
    decorators.push(
      ApiErrorResponse(
        413,
        'The request body is larger than the server accepts.',
        { oauth: { 'too-large': { summary: 'Body too large', value: unreadable('too_large') } } },
        NO_STORE_HEADERS,
      ),
    );
  }
  return applyDecorators(...decorators);
}
