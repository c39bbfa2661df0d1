import { authenticate } from './authentication/client-authentication.js';
import { discoverEndpoints, type IssuerEndpoints } from './discovery/issuer-metadata.js';
import { isReplayable } from './fetch/replayable-body.js';
import { saysInvalidToken } from './fetch/www-authenticate.js';
import { resolveOptions, type ResolvedOptions } from './options/resolve-options.js';
import type { M2mTokenClientOptions } from './options/token-client.options.js';
import { withRetries } from './tokens/retrying.js';
import { TokenCache } from './tokens/token-cache.js';
import { requestToken, type TokenRequest } from './tokens/token-request.js';

/** What `getToken()` and `fetch()` may ask a token for; the client's options by default. */
export interface M2mTokenRequestOptions {
  /** The scopes to ask for. */
  scopes?: readonly string[];
  /** The resource (RFC 8707) the token is for. */
  resource?: string;
}

/**
 * An OAuth 2.0 client credentials client (RFC 6749 §4.4) for callers of protected APIs: it
 * finds the token endpoint, authenticates, caches tokens per (resource, scopes), shares one
 * request among concurrent callers, refreshes ahead of expiry, retries transient failures, and
 * gives a `fetch` that attaches the token and recovers from `invalid_token` once.
 * @example
 * const client = new M2mTokenClient({ issuer, clientId, clientSecret, scopes: ['reports:read'] });
 * const response = await client.fetch('https://api.example.com/reports');
 */
export class M2mTokenClient {
  private readonly options: ResolvedOptions;
  private readonly cache: TokenCache;
  private endpoints: Promise<IssuerEndpoints> | undefined;

  constructor(options: M2mTokenClientOptions) {
    this.options = resolveOptions(options);
    const { retry } = this.options;
    this.cache = new TokenCache(
      { ...this.options, baseDelayMs: retry.baseDelayMs, maxDelayMs: retry.maxDelayMs },
      async (request) => {
        const endpoints = await this.tokenEndpoint();
        return withRetries(retry, () => this.requestOnce(endpoints, request));
      },
    );
  }

  /**
   * An access token for the scopes and resource: the cached one while it is fresh, else a new
   * one that concurrent callers share.
   * @throws M2mOAuthError, M2mResponseError or M2mNetworkError when no token can be had.
   */
  getToken(request: M2mTokenRequestOptions = {}): Promise<string> {
    return this.cache.get(this.tokenRequest(request));
  }

  /**
   * `fetch` with `Authorization: Bearer <token>`. When the answer is 401 with
   * `error="invalid_token"` (RFC 6750 §3.1), the token is dropped and the request is sent once
   * more with a new one, if its body can be sent again (not a stream).
   */
  async fetch(
    input: Parameters<typeof fetch>[0],
    init?: RequestInit,
    request: M2mTokenRequestOptions = {},
  ): Promise<Response> {
    const tokenRequest = this.tokenRequest(request);
    const token = await this.cache.get(tokenRequest);
    const response = await this.sendWithToken(token, input, init);
    if (
      response.status !== 401 ||
      !saysInvalidToken(response.headers.get('www-authenticate')) ||
      !isReplayable(input, init)
    ) {
      return response;
    }
    await response.body?.cancel();
    this.cache.drop(tokenRequest, token);
    return this.sendWithToken(await this.cache.get(tokenRequest), input, init);
  }

  /** Forgets every cached token (and the discovered endpoints); the next call fetches anew. */
  invalidate(): void {
    this.cache.clear();
    this.endpoints = undefined;
  }

  private tokenRequest(request: M2mTokenRequestOptions): TokenRequest {
    return {
      scopes: request.scopes ?? this.options.scopes,
      resource: request.resource ?? this.options.resource,
    };
  }

  private sendWithToken(
    token: string,
    input: Parameters<typeof fetch>[0],
    init: RequestInit | undefined,
  ): Promise<Response> {
    const headers = new Headers(input instanceof Request ? input.headers : undefined);
    new Headers(init?.headers).forEach((value, name) => headers.set(name, value));
    headers.set('authorization', `Bearer ${token}`);
    return this.options.fetch(input, { ...init, headers });
  }

  private async requestOnce(endpoints: IssuerEndpoints, request: TokenRequest) {
    const { credentials } = this.options;
    const authentication = await authenticate(credentials, endpoints);
    return requestToken(
      this.options.fetch,
      endpoints.tokenEndpoint,
      request,
      authentication,
      this.options.timeoutMs,
      credentials.method === 'private_key_jwt' ? [] : [credentials.secret],
    );
  }

  /** The token endpoint, discovered once (a failed discovery is tried again next time). */
  private tokenEndpoint(): Promise<IssuerEndpoints> {
    const { issuer, tokenEndpoint } = this.options;
    if (tokenEndpoint !== undefined) return Promise.resolve({ issuer, tokenEndpoint });
    if (this.endpoints === undefined) {
      const discovery = discoverEndpoints(this.options, issuer!);
      this.endpoints = discovery;
      discovery.catch(() => {
        if (this.endpoints === discovery) this.endpoints = undefined;
      });
    }
    return this.endpoints;
  }
}
