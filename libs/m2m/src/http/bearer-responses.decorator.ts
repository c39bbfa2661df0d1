import { applyDecorators } from '@nestjs/common';
import type { HeaderObject } from '@nestjs/swagger';
import { ApiErrorResponse, type ErrorExample } from '../http/api-error-response.decorator.js';
import { bearerProblem } from '../http/bearer-exception.filter.js';
import { bearerChallenge, BearerTokenError } from './bearer-token.error.js';
import type { ProblemDetails } from '../errors/problem-details.js';

/** The realm of the examples: the default of the `realm` option. */
export const EXAMPLE_REALM = 'm2m';

function example(summary: string, error: BearerTokenError): ErrorExample<ProblemDetails> {
  return { summary, value: bearerProblem(error) };
}

/** A request without a bearer token. */
export const NO_TOKEN_EXAMPLE = example('No access token', BearerTokenError.missing());

/** A token that fails verification (signature, expiry, audience, revocation). */
export const INVALID_TOKEN_EXAMPLE = example(
  'Invalid, expired or revoked access token',
  BearerTokenError.invalid(''),
);

/** An `Authorization: Bearer …` header that is not one token. */
export const MALFORMED_BEARER_EXAMPLE = example(
  'Malformed Authorization header',
  BearerTokenError.malformed(''),
);

/**
 * The RFC 6750 §3 challenge of a failed bearer-token check. `required` is false where the same
 * status also has answers without one.
 */
export function bearerChallengeHeader(error: BearerTokenError, required = true): HeaderObject {
  return {
    description: 'RFC 6750 §3 challenge: realm, and the error code when a token was sent.',
    required,
    schema: { type: 'string', pattern: '^Bearer realm="' },
    example: bearerChallenge(EXAMPLE_REALM, error),
  };
}

/**
 * Documents the answers of a failed bearer-token check: 401 without a valid token and, when
 * scopes are required, 403 without them. Both are problem details with a `WWW-Authenticate`
 * challenge.
 */
export function ApiBearerErrors(scopes: readonly string[]): MethodDecorator & ClassDecorator {
  const insufficient = BearerTokenError.insufficientScope(scopes);
  const unauthorized = ApiErrorResponse(
    401,
    'No access token, or one that is invalid, expired or revoked.',
    { problem: { 'no-token': NO_TOKEN_EXAMPLE, 'invalid-token': INVALID_TOKEN_EXAMPLE } },
    { 'WWW-Authenticate': bearerChallengeHeader(BearerTokenError.invalid('')) },
  );
  if (scopes.length === 0) return unauthorized;
  return applyDecorators(
    unauthorized,
    ApiErrorResponse(
      403,
      `The access token lacks a required scope: ${scopes.join(' ')}.`,
      { problem: { 'insufficient-scope': example('Missing scope', insufficient) } },
      { 'WWW-Authenticate': bearerChallengeHeader(insufficient) },
    ),
  );
}
