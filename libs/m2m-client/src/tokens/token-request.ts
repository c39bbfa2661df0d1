import { M2mOAuthError, M2mResponseError } from '../errors/m2m-client.error.js';
import type { AuthenticatedRequest } from '../authentication/client-authentication.js';
import { parseRetryAfter } from './backoff.js';
import { jsonObject, send, unexpected } from './http.js';
import type { M2mFetch } from '../options/token-client.options.js';

/** What a caller asks a token for. */
export interface TokenRequest {
  scopes: readonly string[];
  resource: string | undefined;
}

/** A token as the server issued it. */
export interface IssuedToken {
  accessToken: string;
  /** `expires_in` in milliseconds, when the server sent it. */
  expiresInMs: number | undefined;
  /** The granted scopes as the server listed them, when it did. */
  scope: string | undefined;
}

/** The secrets a server might echo; they are cut out of anything the client reports. */
function redact(text: string, secrets: readonly string[]): string {
  return secrets.reduce(
    (out, secret) => (secret === '' ? out : out.split(secret).join('[redacted]')),
    text,
  );
}

function oauthError(
  url: string,
  response: Response,
  body: Record<string, unknown> | undefined,
  secrets: readonly string[],
): Error {
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
  const code = body?.['error'];
  if (typeof code !== 'string' || code === '') {
    return new M2mResponseError(
      `${url} answered ${response.status} without an OAuth error`,
      response.status,
      retryAfterMs,
    );
  }
  const description = body?.['error_description'];
  return new M2mOAuthError(
    redact(code, secrets),
    typeof description === 'string' ? redact(description, secrets) : undefined,
    response.status,
    retryAfterMs,
    url,
  );
}

/** Reads a successful token response (RFC 6749 §5.1); only Bearer tokens are usable here. */
function issuedToken(url: string, response: Response, body: Record<string, unknown>): IssuedToken {
  const accessToken = body['access_token'];
  const tokenType = body['token_type'];
  const expiresIn = body['expires_in'];
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw unexpected(url, response, 'an access_token');
  }
  // RFC 6749 §7.1: the type is case-insensitive.
  if (typeof tokenType !== 'string' || tokenType.toLowerCase() !== 'bearer') {
    throw unexpected(url, response, 'token_type Bearer');
  }
  if (expiresIn !== undefined && (typeof expiresIn !== 'number' || !(expiresIn > 0))) {
    throw unexpected(url, response, 'a positive expires_in');
  }
  const scope = body['scope'];
  return {
    accessToken,
    expiresInMs: expiresIn === undefined ? undefined : expiresIn * 1000,
    scope: typeof scope === 'string' ? scope : undefined,
  };
}

/** One client credentials token request (RFC 6749 §4.4.2), no retries. */
export async function requestToken(
  fetchFn: M2mFetch,
  tokenEndpoint: string,
  request: TokenRequest,
  authentication: AuthenticatedRequest,
  timeoutMs: number,
  secrets: readonly string[],
): Promise<IssuedToken> {
  const params = new URLSearchParams({ grant_type: 'client_credentials' });
  if (request.scopes.length > 0) params.set('scope', request.scopes.join(' '));
  if (request.resource !== undefined) params.set('resource', request.resource);
  for (const [name, value] of Object.entries(authentication.params)) params.set(name, value);
  const response = await send(
    fetchFn,
    tokenEndpoint,
    {
      method: 'POST',
      headers: {
        ...authentication.headers,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: params.toString(),
    },
    timeoutMs,
  );
  const body = await jsonObject(response);
  if (response.status !== 200) throw oauthError(tokenEndpoint, response, body, secrets);
  if (body === undefined) throw unexpected(tokenEndpoint, response, 'a JSON token response');
  return issuedToken(tokenEndpoint, response, body);
}
