import { applyDecorators, type Type } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiResponse,
  getSchemaPath,
  type ContentObject,
  type ExampleObject,
  type HeaderObject,
  type HeadersObject,
  type MediaTypeObject,
} from '@nestjs/swagger';
import { DATABASE_RETRY_AFTER_SECONDS } from '../errors/database-unavailable.js';
import { OAuthErrorDto } from './oauth-error.dto.js';
import type { OAuthErrorBody } from '../errors/oauth.error.js';
import { ProblemDetailsDto } from './problem-details.dto.js';
import { PROBLEM_JSON, type ProblemDetails } from '../errors/problem-details.js';

/** A named example of an error body. */
export interface ErrorExample<T> {
  summary: string;
  value: T;
}

/** The bodies one error response may have: OAuth errors, RFC 9457 problems, or both. */
export interface ErrorBodies {
  /** `application/json` bodies of RFC 6749 §5.2 (token, introspection, revocation, registration). */
  oauth?: Readonly<Record<string, ErrorExample<OAuthErrorBody>>>;
  /** `application/problem+json` bodies of RFC 9457 (admin and owner APIs, bearer-token checks). */
  problem?: Readonly<Record<string, ErrorExample<ProblemDetails>>>;
}

/** `Cache-Control: no-store` and `Pragma: no-cache` (RFC 6749 §5.1), as the OAuth endpoints send them. */
export const NO_STORE_HEADERS: HeadersObject = {
  'Cache-Control': {
    description: 'RFC 6749 §5.1: the answer must not be cached.',
    required: true,
    schema: { type: 'string', enum: ['no-store'] },
  },
  Pragma: {
    description: 'For HTTP/1.0 caches.',
    required: true,
    schema: { type: 'string', enum: ['no-cache'] },
  },
};

/** `Retry-After` in seconds (RFC 9110 §10.2.3). */
export function retryAfterHeader(example: number): HeaderObject {
  return {
    description: 'Seconds to wait before trying again.',
    required: true,
    schema: { type: 'string', pattern: '^[0-9]+$' },
    example: String(example),
  };
}

/** `Retry-After` of an answer given while the database cannot be reached. */
export const DATABASE_RETRY_AFTER_HEADER = retryAfterHeader(DATABASE_RETRY_AFTER_SECONDS);

function content<T>(
  model: Type<unknown>,
  examples: Readonly<Record<string, ErrorExample<T>>>,
): MediaTypeObject {
  return {
    schema: { $ref: getSchemaPath(model) },
    examples: examples as Record<string, ExampleObject>,
  };
}

/**
 * Documents an error response with its real media types, schemas and one example per case, so
 * that no status borrows another's example.
 */
export function ApiErrorResponse(
  status: number,
  description: string,
  bodies: ErrorBodies,
  headers: HeadersObject = {},
): MethodDecorator & ClassDecorator {
  const media: ContentObject = {};
  if (bodies.oauth !== undefined) {
    media['application/json'] = content(OAuthErrorDto, bodies.oauth);
  }
  if (bodies.problem !== undefined) {
    media[PROBLEM_JSON] = content(ProblemDetailsDto, bodies.problem);
  }
  return applyDecorators(
    ApiExtraModels(OAuthErrorDto, ProblemDetailsDto),
    ApiResponse({
      status,
      description,
      content: media,
      ...(Object.keys(headers).length === 0 ? {} : { headers }),
    }),
  );
}
