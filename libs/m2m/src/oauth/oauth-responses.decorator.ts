import { applyDecorators } from '@nestjs/common';
import {
  ApiErrorResponse,
  NO_STORE_HEADERS,
  retryAfterHeader,
} from '../http/api-error-response.decorator.js';
import { EXAMPLE_REALM } from '../http/bearer-responses.decorator.js';
import { basicChallenge, databaseUnavailableError } from '../http/oauth-exception.filter.js';
import {
  InvalidClientError,
  InvalidRequestError,
  InvalidScopeError,
  InvalidTargetError,
  TemporarilyUnavailableError,
  TooManyRequestsError,
  UnauthorizedClientError,
  UnsupportedGrantTypeError,
} from '../errors/oauth.error.js';
import { oauthExample, TOO_LARGE_BODY, UNPARSABLE_BODY } from './oauth-error-examples.js';

/** Examples of the 400 answers shared by the introspection and revocation endpoints. */
const MISSING_TOKEN = oauthExample(
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
          'invalid-client': oauthExample(
            'Client authentication failed',
            new InvalidClientError('', true),
          ),
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
      { oauth: { 'too-large': TOO_LARGE_BODY } },
      NO_STORE_HEADERS,
    ),
    ApiErrorResponse(
      503,
      'temporarily_unavailable: too many secret verifications waiting, or the database cannot be reached.',
      {
        oauth: {
          busy: oauthExample('Verification queue full', new TemporarilyUnavailableError(1)),
          'database-unavailable': oauthExample('Database unavailable', databaseUnavailableError()),
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
          'missing-grant-type': oauthExample(
            'No grant_type',
            new InvalidRequestError('The grant_type parameter is required.'),
          ),
          'unsupported-grant-type': oauthExample(
            'Other grant type',
            new UnsupportedGrantTypeError(),
          ),
          'invalid-scope': oauthExample(
            'Scope not allowed',
            new InvalidScopeError(
              'The requested scope is invalid, unknown, or exceeds what the client is allowed.',
            ),
          ),
          'invalid-target': oauthExample(
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
      { oauth: { quota: oauthExample('Issuance quota spent', new TooManyRequestsError(30)) } },
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
          'unauthorized-client': oauthExample(
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
          'foreign-token': oauthExample(
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
