import { applyDecorators } from '@nestjs/common';
import { FORBIDDEN_MESSAGE } from '@nestjs/core/guards/constants.js';
import type { HeadersObject } from '@nestjs/swagger';
import {
  ClientNotFoundError,
  ClientValidationError,
  M2mProblemError,
} from '../errors/admin.error.js';
import {
  ApiErrorResponse,
  DATABASE_RETRY_AFTER_HEADER,
  type ErrorExample,
} from '../http/api-error-response.decorator.js';
import {
  ApiBearerErrors,
  bearerChallengeHeader,
  MALFORMED_BEARER_EXAMPLE,
} from '../http/bearer-responses.decorator.js';
import { BearerTokenError } from '../http/bearer-token.error.js';
import { databaseUnavailableProblem } from '../http/problem-details.filter.js';
import type { ProblemDetails, ProblemFieldError } from '../errors/problem-details.js';
import { requestErrorAnswer } from '../http/request-errors.js';
import { M2M_ADMIN_SCOPE } from '../m2m.constants.js';

/** A client id for the examples. */
export const EXAMPLE_CLIENT_ID = 'm2mc_3q2x0JvKQy8b1dF5m9Zt6w';

/** Where the examples of answers to unreadable bodies are taken from (any admin route). */
const ADMIN_PATH = '/m2m/clients';

function problem(summary: string, value: ProblemDetails): ErrorExample<ProblemDetails> {
  return { summary, value };
}

/** The body the module sends for a request body it cannot read (see `requestErrorAnswer`). */
function unreadable(kind: 'unparsable' | 'too_large'): ProblemDetails {
  return requestErrorAnswer(kind, ADMIN_PATH)!.body as ProblemDetails;
}

/** Answers to unreadable bodies carry `Cache-Control: no-store`. */
const UNREADABLE_BODY_HEADERS: HeadersObject = {
  'Cache-Control': {
    description: 'Sent with answers to a request body that cannot be read.',
    required: false,
    schema: { type: 'string', enum: ['no-store'] },
  },
};

/** A response that shows a secret once: no cache may keep it. */
export const SECRET_HEADERS: HeadersObject = {
  'Cache-Control': {
    description: 'The response holds a secret.',
    required: true,
    schema: { type: 'string', enum: ['no-store'] },
  },
};

/** The answer to creating a client: where it now lives, and its secret. */
export const CREATED_CLIENT_HEADERS: HeadersObject = {
  ...SECRET_HEADERS,
  Location: {
    description: 'The path of the new client.',
    required: true,
    schema: { type: 'string', pattern: '^/m2m/clients/' },
    example: `/m2m/clients/${EXAMPLE_CLIENT_ID}`,
  },
};

/**
 * What every route of the admin API can answer whatever it does: 400 for a malformed
 * Authorization header, 401 and 403 from the admin guard, and 503 while the database cannot be
 * reached.
 */
export function ApiAdminErrors(): ClassDecorator {
  return applyDecorators(
    ApiErrorResponse(
      400,
      'Malformed Authorization header.',
      { problem: { 'malformed-authorization': MALFORMED_BEARER_EXAMPLE } },
      { 'WWW-Authenticate': bearerChallengeHeader(BearerTokenError.malformed('')) },
    ),
    ApiBearerErrors([M2M_ADMIN_SCOPE]),
    ApiDatabaseUnavailable(),
  );
}

/** 503 with `Retry-After` while the database cannot be reached. */
export function ApiDatabaseUnavailable(): MethodDecorator & ClassDecorator {
  return ApiErrorResponse(
    503,
    'The database cannot be reached; retry after the given number of seconds.',
    {
      problem: {
        'database-unavailable': problem('Database unavailable', databaseUnavailableProblem()),
      },
    },
    { 'Retry-After': DATABASE_RETRY_AFTER_HEADER },
  );
}

/** The owner API's own refusals: the host's guard said no, or named no owner. */
export function ApiOwnerErrors(): ClassDecorator {
  return applyDecorators(
    ApiErrorResponse(403, 'The owner guard refused the request or identified no owner.', {
      problem: {
        refused: problem('Refused by the owner guard', {
          type: 'about:blank',
          title: 'Forbidden',
          status: 403,
          // Nest's answer when a guard returns false.
          detail: FORBIDDEN_MESSAGE,
        }),
        'no-owner': problem('No owner identified', {
          type: 'about:blank',
          title: 'Forbidden',
          status: 403,
          detail: 'The owner guard did not identify an owner.',
        }),
      },
    }),
    ApiDatabaseUnavailable(),
  );
}

/** Options of {@link ApiInvalidInput}. */
export interface InvalidInputOptions {
  /** The route reads a JSON body: it can also be unparsable (400) or too large (413). */
  body?: boolean;
  /** Documents the owner API, which has no bearer-token check of its own. */
  owner?: boolean;
}

/**
 * 400 for invalid input, with an example of the validation problem (`errors` lists each member
 * with a JSON Pointer); for routes with a body also an unparsable body, and 413.
 */
export function ApiInvalidInput(
  invalid: ProblemFieldError,
  options: InvalidInputOptions = {},
): MethodDecorator {
  const examples: Record<string, ErrorExample<ProblemDetails>> = {
    validation: problem('Invalid members', new ClientValidationError([invalid]).toProblem()),
  };
  if (options.body === true) {
    examples['unparsable-body'] = problem('Body is not JSON', unreadable('unparsable'));
  }
  const headers: HeadersObject = options.body === true ? { ...UNREADABLE_BODY_HEADERS } : {};
  if (options.owner !== true) {
    examples['malformed-authorization'] = MALFORMED_BEARER_EXAMPLE;
    headers['WWW-Authenticate'] = bearerChallengeHeader(BearerTokenError.malformed(''), false);
  }
  const decorators = [ApiErrorResponse(400, 'Invalid request.', { problem: examples }, headers)];
  if (options.body === true) {
    decorators.push(
      ApiErrorResponse(
        413,
        'The request body is larger than the server accepts.',
        { problem: { 'too-large': problem('Body too large', unreadable('too_large')) } },
        UNREADABLE_BODY_HEADERS,
      ),
    );
  }
  return applyDecorators(...decorators);
}

/** 404 for a client that does not exist (or, on the owner API, belongs to another owner). */
export function ApiClientNotFound(): MethodDecorator {
  return ApiErrorResponse(404, 'No such client.', {
    problem: {
      'client-not-found': problem(
        'Unknown client',
        new ClientNotFoundError(EXAMPLE_CLIENT_ID).toProblem(),
      ),
    },
  });
}

/** 409 for an operation the resource's state does not allow, one example per cause. */
export function ApiStateConflict(
  description: string,
  ...errors: M2mProblemError[]
): MethodDecorator {
  const examples = Object.fromEntries(
    errors.map((error) => [
      error.type.replace(/^urn:m2m:problem:/, ''),
      problem(error.title, error.toProblem()),
    ]),
  );
  return ApiErrorResponse(409, description, { problem: examples });
}
