import { HttpException } from '@nestjs/common';
import { PROBLEM_JSON, statusProblem } from '../errors/problem-details.js';

/** What went wrong with a request before any controller saw it. */
export type M2mRequestErrorKind =
  | 'unparsable'
  | 'too_large'
  | 'too_many_parameters'
  | 'unsupported_media_type'
  | 'undecodable_path';

/** The description each kind is answered with; nothing of the parser's own message is sent. */
export const REQUEST_ERROR_DESCRIPTIONS: Readonly<Record<M2mRequestErrorKind, string>> = {
  unparsable: 'The request body cannot be parsed.',
  too_large: 'The request body is too large.',
  too_many_parameters: 'The request has too many parameters.',
  unsupported_media_type:
    'The request body must be application/x-www-form-urlencoded or application/json.',
  undecodable_path: 'The request path is not valid percent-encoding.',
};

/**
 * An error of the module's own body parsers (on Fastify): it carries the kind, and a 4xx status
 * so that the platform treats it as the client's fault.
 */
export class M2mBodyParseError extends Error {
  override readonly name = 'M2mBodyParseError';
  readonly statusCode: number;

  constructor(readonly kind: M2mRequestErrorKind) {
    super(REQUEST_ERROR_DESCRIPTIONS[kind]);
    this.statusCode = kind === 'too_large' ? 413 : 400;
  }
}

/** body-parser's `type`s (Express) and Fastify's codes, by kind. */
const KINDS: Readonly<Record<string, M2mRequestErrorKind>> = {
  'entity.parse.failed': 'unparsable',
  'entity.verify.failed': 'unparsable',
  'request.aborted': 'unparsable',
  'request.size.invalid': 'unparsable',
  'charset.unsupported': 'unparsable',
  'encoding.unsupported': 'unparsable',
  'entity.too.large': 'too_large',
  'parameters.too.many': 'too_many_parameters',
  FST_ERR_CTP_BODY_TOO_LARGE: 'too_large',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'unparsable',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'unparsable',
  FST_ERR_CTP_INVALID_JSON_BODY: 'unparsable',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_EMPTY_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_TYPE: 'unsupported_media_type',
  FST_ERR_BAD_URL: 'undecodable_path',
};

/**
 * The kind of a request error raised by the platform before routing: a body that body-parser
 * (Express), Fastify or the module's parsers refused, or a path that is not valid
 * percent-encoding. `undefined` for anything else. Nest wraps these in an `HttpException` whose
 * `cause` is the original error; both are looked at.
 */
export function requestErrorKind(exception: unknown): M2mRequestErrorKind | undefined {
  const candidates =
    exception instanceof HttpException ? [exception.cause, exception] : [exception];
  for (const error of candidates) {
    if (error instanceof M2mBodyParseError) return error.kind;
    if (error == null || typeof error !== 'object') continue;
    const { type, code, status, statusCode, message, expose } = error as Record<string, unknown>;
    const kind =
      (typeof type === 'string' ? KINDS[type] : undefined) ??
      (typeof code === 'string' ? KINDS[code] : undefined);
    if (kind !== undefined) return kind;
    const httpStatus = typeof status === 'number' ? status : statusCode;
    // Express: a route parameter that cannot be percent-decoded.
    if (error instanceof URIError) return 'undecodable_path';
    if (
      httpStatus === 400 &&
      typeof message === 'string' &&
      /^Failed to decode param/.test(message)
    ) {
      return 'undecodable_path';
    }
    const clientError = typeof httpStatus === 'number' && httpStatus >= 400 && httpStatus < 500;
    // body-parser's JSON parser throws a SyntaxError with a 400 status.
    if (error instanceof SyntaxError && clientError) return 'unparsable';
    // Any other refusal of body-parser and raw-body (http-errors: a `type`, or an `expose` flag on
    // a decompression error) or of Fastify's content-type parsing (FST_ERR_CTP_…): a body that
    // could not be read.
    const fromParser =
      typeof type === 'string' ||
      typeof expose === 'boolean' ||
      (typeof code === 'string' && code.startsWith('FST_ERR_CTP_'));
    if (fromParser && clientError) return httpStatus === 413 ? 'too_large' : 'unparsable';
  }
  return undefined;
}

/** The module's routes: the OAuth endpoints (RFC 6749 errors), the admin and owner APIs (RFC 9457). */
const OAUTH_PATH = /^\/oauth2\//;
const MODULE_PATH = /^\/(oauth2|m2m)\//;

/** An answer to a request error: status, headers and JSON body. */
export interface RequestErrorAnswer {
  status: number;
  headers: Record<string, string>;
  body: object;
}

/**
 * The answer to a request error of `kind` at `url`, or `undefined` when `url` is not one of the
 * module's routes. The OAuth endpoints get RFC 6749 §5.2 `invalid_request` (no-store), the admin
 * and owner APIs an RFC 9457 problem.
 */
export function requestErrorAnswer(
  kind: M2mRequestErrorKind,
  url: string,
): RequestErrorAnswer | undefined {
  const path = url.split('?', 1)[0]!;
  if (!MODULE_PATH.test(path)) return undefined;
  const description = REQUEST_ERROR_DESCRIPTIONS[kind];
  if (OAUTH_PATH.test(path)) {
    // Any body an OAuth endpoint cannot read is an invalid_request; only size has its own status.
    const status = kind === 'too_large' ? 413 : 400;
    return {
      status,
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        'Cache-Control': 'no-store',
        Pragma: 'no-cache',
      },
      body: { error: 'invalid_request', error_description: description },
    };
  }
  const status = kind === 'too_large' ? 413 : kind === 'unsupported_media_type' ? 415 : 400;
  return {
    status,
    headers: { 'Content-Type': `${PROBLEM_JSON}; charset=utf-8`, 'Cache-Control': 'no-store' },
    body: statusProblem(status, description),
  };
}
