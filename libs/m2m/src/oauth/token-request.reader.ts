import { InvalidRequestError, InvalidTargetError } from '../errors/oauth.error.js';
import type { ClientRequest, TokenRequest } from '../tokens/token-request.js';
import {
  CREDENTIAL_PARAMETERS,
  readAssertion,
  readBasic,
  readCredentials,
  type Parameters,
} from './client-credentials.reader.js';

/** What the endpoints read of an HTTP request: nothing framework-specific. */
export interface TokenHttpRequest {
  contentType: string | undefined;
  authorization: string | undefined;
  body: unknown;
  /** The caller's network address (`request.ip`). */
  source?: string | undefined;
}

/** The part of an Express or Fastify request the endpoints read. */
export interface HttpRequest {
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
  /** The caller's address (Express and Fastify; behind a proxy, configure `trust proxy`). */
  ip?: string;
  socket?: { remoteAddress?: string };
}

function header(request: HttpRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The headers, body and caller address of an Express or Fastify request. */
export function tokenHttpRequestOf(request: HttpRequest): TokenHttpRequest {
  return {
    contentType: header(request, 'content-type'),
    authorization: header(request, 'authorization'),
    body: request.body,
    source: request.ip ?? request.socket?.remoteAddress,
  };
}

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

function mediaType(contentType: string | undefined): string | undefined {
  return contentType?.split(';', 1)[0]?.trim().toLowerCase();
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads the parameters we use. Repeated parameters arrive as arrays and bracketed names
 * (`scope[]`, `client_id[x]`) as arrays, objects or odd keys, depending on the body parser; all
 * are rejected (RFC 6749 §3.2: parameters MUST NOT be included more than once). Unknown
 * parameters are ignored, and an empty value counts as absent.
 */
function readParameters(body: Record<string, unknown>, names: readonly string[]): Parameters {
  const params: Parameters = {};
  for (const [key, value] of Object.entries(body)) {
    const bracket = key.indexOf('[');
    const name = bracket === -1 ? key : key.slice(0, bracket);
    if (!names.includes(name)) continue;
    if (bracket !== -1 || (typeof value !== 'string' && value !== undefined && value !== null)) {
      throw new InvalidRequestError(
        `The ${name} parameter must be a single string value.`,
        `parameter ${name} is ${Array.isArray(value) ? 'repeated' : 'structured'}`,
      );
    }
    if (typeof value === 'string' && value !== '') params[name] = value;
  }
  return params;
}

/**
 * First step of every client-authenticated endpoint: checks the request's structure, reads the
 * named parameters and extracts the client credentials. Throws `invalid_request` for anything
 * malformed.
 */
export function readClientRequest<P extends string>(
  http: TokenHttpRequest,
  names: readonly P[],
): ClientRequest<P> {
  const type = mediaType(http.contentType);
  if (type !== FORM && type !== JSON_TYPE) {
    throw new InvalidRequestError(
      'The request body must be application/x-www-form-urlencoded or application/json.',
      `content type ${type ?? 'none'}`,
    );
  }
  if (!isPlainObject(http.body)) {
    throw new InvalidRequestError('The request body must hold the token request parameters.');
  }
  const params = readParameters(http.body, [...names, ...CREDENTIAL_PARAMETERS]);
  const basic = readBasic(http.authorization);
  const assertion = readAssertion(basic, params);
  return {
    params: params as Partial<Record<P, string>>,
    credentials: assertion === null ? readCredentials(basic, params) : null,
    assertion,
    usedBasic: http.authorization !== undefined,
    ...(http.source === undefined ? {} : { source: http.source }),
  };
}

const TARGET_PARAMETERS = ['resource', 'audience'];

/** RFC 8707 §2: one resource per token request here; several give `invalid_target`. */
function rejectSeveralTargets(body: unknown): void {
  if (!isPlainObject(body)) return;
  for (const [key, value] of Object.entries(body)) {
    const name = key.split('[', 1)[0]!;
    if (TARGET_PARAMETERS.includes(name) && (key !== name || Array.isArray(value))) {
      throw new InvalidTargetError(
        'Only one resource may be requested per token.',
        `several ${name} values`,
      );
    }
  }
}

/** First step of the token endpoint (RFC 6749 §4.4.2, with RFC 8707 resource indicators). */
export function readTokenRequest(http: TokenHttpRequest): TokenRequest {
  rejectSeveralTargets(http.body);
  const { params, ...authentication } = readClientRequest(http, [
    'grant_type',
    'scope',
    'resource',
    'audience',
  ]);
  // `audience` is the name Auth0 users know; it means the same as `resource`.
  if (
    params.resource !== undefined &&
    params.audience !== undefined &&
    params.resource !== params.audience
  ) {
    throw new InvalidTargetError(
      'Only one resource may be requested per token.',
      'resource and audience differ',
    );
  }
  return {
    grantType: params.grant_type,
    scope: params.scope,
    resource: params.resource ?? params.audience,
    ...authentication,
  };
}
