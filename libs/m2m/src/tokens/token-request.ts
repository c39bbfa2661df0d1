import { InvalidRequestError, InvalidTargetError } from '../errors/oauth.error.js';

/** How the client authenticated (RFC 6749 §2.3.1; names from RFC 7591 §2). */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post';

/** Client credentials as presented. */
export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
  method: ClientAuthMethod;
}

/** A client assertion (RFC 7523 §2.2, private_key_jwt) as presented. */
export interface ClientAssertion {
  /** The `client_id` parameter, when the client sent one. */
  clientId: string | undefined;
  jwt: string;
}

/** The client authentication part of a request to the token, introspection or revocation endpoint. */
export interface ClientAuthentication {
  /** Null when the request carries no client secret credentials. */
  credentials: ClientCredentials | null;
  /** A private_key_jwt assertion, when the client used one instead. */
  assertion?: ClientAssertion | null;
  /** The request tried HTTP Basic authentication (so a 401 carries a Basic challenge). */
  usedBasic: boolean;
  /** The caller's network address, which failure budgets count by. @default 'unknown' */
  source?: string;
}

/** A structurally valid request to a client-authenticated endpoint, with the parameters read. */
export interface ClientRequest<P extends string> extends ClientAuthentication {
  params: Partial<Record<P, string>>;
}

/** A structurally valid token request (RFC 6749 §4.4.2). */
export interface TokenRequest extends ClientAuthentication {
  grantType: string | undefined;
  scope: string | undefined;
  /** RFC 8707 `resource` (or its `audience` alias): the one resource server the token is for. */
  resource?: string | undefined;
}

/** What the HTTP edge hands over: nothing framework-specific. */
export interface TokenHttpRequest {
  contentType: string | undefined;
  authorization: string | undefined;
  body: unknown;
  /** The caller's network address (`request.ip`). */
  source?: string | undefined;
}

/** Client authentication parameters (RFC 6749 §2.3.1, RFC 7521 §4.2), read at every endpoint. */
const CREDENTIAL_PARAMETERS = [
  'client_id',
  'client_secret',
  'client_assertion_type',
  'client_assertion',
] as const;

/** RFC 7523 §2.2. */
export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
type Parameters = Partial<Record<string, string>>;

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

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

/** Decodes one part of the Basic credentials: RFC 6749 §2.3.1 form-urlencodes them. */
function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    throw new InvalidRequestError('The Authorization header is malformed.', 'bad percent-encoding');
  }
}

/** Parses `Authorization: Basic …` (RFC 7617), or returns null when there is no header. */
function readBasic(authorization: string | undefined): { id: string; secret: string } | null {
  if (authorization === undefined) return null;
  const malformed = (detail: string) =>
    new InvalidRequestError('The Authorization header is malformed.', detail);
  const match = /^([A-Za-z]+) +(\S+)$/.exec(authorization.trim());
  if (match === null) throw malformed('not "<scheme> <credentials>"');
  if (match[1]!.toLowerCase() !== 'basic') {
    throw new InvalidRequestError(
      'Client authentication must use HTTP Basic or the request body.',
      `scheme ${match[1]}`,
    );
  }
  const encoded = match[2]!;
  if (!BASE64.test(encoded) || encoded.length % 4 !== 0)
    throw malformed('credentials are not base64');
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) throw malformed('no colon in the credentials');
  const id = formDecode(decoded.slice(0, colon));
  const secret = formDecode(decoded.slice(colon + 1));
  if (id === '') throw malformed('empty client id');
  return { id, secret };
}

/** RFC 7521 §4.2: `client_assertion_type` and `client_assertion`, alone as authentication. */
function readAssertion(
  basic: { id: string; secret: string } | null,
  params: Parameters,
): ClientAssertion | null {
  if (params.client_assertion === undefined && params.client_assertion_type === undefined)
    return null;
  if (basic !== null || params.client_secret !== undefined) {
    throw new InvalidRequestError(
      'The client must use only one authentication method.',
      'client assertion together with a secret',
    );
  }
  if (params.client_assertion_type !== JWT_BEARER_ASSERTION) {
    throw new InvalidRequestError(`The client_assertion_type must be ${JWT_BEARER_ASSERTION}.`);
  }
  if (params.client_assertion === undefined) {
    throw new InvalidRequestError('The client_assertion parameter is required.');
  }
  return { clientId: params.client_id, jwt: params.client_assertion };
}

function readCredentials(
  basic: { id: string; secret: string } | null,
  params: Parameters,
): ClientCredentials | null {
  if (basic !== null) {
    // RFC 6749 §2.3: a client MUST NOT use more than one authentication method per request.
    if (params.client_secret !== undefined) {
      throw new InvalidRequestError(
        'The client must use only one authentication method.',
        'Basic and client_secret in the body',
      );
    }
    if (params.client_id !== undefined && params.client_id !== basic.id) {
      throw new InvalidRequestError(
        'The client_id parameter does not match the authenticated client.',
        'Basic client id differs from body client_id',
      );
    }
    return { clientId: basic.id, clientSecret: basic.secret, method: 'client_secret_basic' };
  }
  if (params.client_id !== undefined && params.client_secret !== undefined) {
    return {
      clientId: params.client_id,
      clientSecret: params.client_secret,
      method: 'client_secret_post',
    };
  }
  return null;
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
