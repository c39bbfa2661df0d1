import { InvalidRequestError } from '../errors/oauth.error.js';
import type { ClientAssertion, ClientCredentials } from '../tokens/token-request.js';

/** RFC 7523 §2.2. */
export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Client authentication parameters (RFC 6749 §2.3.1, RFC 7521 §4.2), read at every endpoint. */
export const CREDENTIAL_PARAMETERS = [
  'client_id',
  'client_secret',
  'client_assertion_type',
  'client_assertion',
] as const;

/** The request parameters, as read from the body. */
export type Parameters = Partial<Record<string, string>>;

/** The id and secret of an `Authorization: Basic` header. */
export interface BasicCredentials {
  id: string;
  secret: string;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Decodes one part of the Basic credentials: RFC 6749 §2.3.1 form-urlencodes them. */
function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    throw new InvalidRequestError('The Authorization header is malformed.', 'bad percent-encoding');
  }
}

/** Parses `Authorization: Basic …` (RFC 7617), or returns null when there is no header. */
export function readBasic(authorization: string | undefined): BasicCredentials | null {
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
export function readAssertion(
  basic: BasicCredentials | null,
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

/** The client id and secret, from the Basic header or the body (RFC 6749 §2.3.1). */
export function readCredentials(
  basic: BasicCredentials | null,
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
