import { applyDecorators } from '@nestjs/common';
import type { HeadersObject } from '@nestjs/swagger';
import {
  ApiErrorResponse,
  DATABASE_RETRY_AFTER_HEADER,
  NO_STORE_HEADERS,
  type ErrorExample,
} from '../http/api-error-response.decorator.js';
import {
  bearerChallengeHeader,
  INVALID_TOKEN_EXAMPLE,
  MALFORMED_BEARER_EXAMPLE,
  NO_TOKEN_EXAMPLE,
} from '../http/bearer-responses.decorator.js';
import { BearerTokenError } from '../http/bearer-token.error.js';
import {
  databaseUnavailableError,
  frameworkRejectionError,
} from '../http/oauth-exception.filter.js';
import { InvalidClientMetadataError, type OAuthErrorBody } from '../errors/oauth.error.js';
import { oauthExample, TOO_LARGE_BODY, UNPARSABLE_BODY } from '../oauth/oauth-error-examples.js';

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
    badRequest['invalid-client-metadata'] = oauthExample(
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
      {
        oauth: {
          'registration-off': oauthExample('Registration off', frameworkRejectionError(404)),
        },
      },
      NO_STORE_HEADERS,
    ),
    ApiErrorResponse(
      503,
      'temporarily_unavailable: the database cannot be reached.',
      {
        oauth: {
          'database-unavailable': oauthExample('Database unavailable', databaseUnavailableError()),
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
        { oauth: { 'too-large': TOO_LARGE_BODY } },
        NO_STORE_HEADERS,
      ),
    );
  }
  return applyDecorators(...decorators);
}
