import { exportJWK, generateKeyPair, jwtVerify } from 'jose';
import { fakeFetch, json, tokenIssuer, type SeenRequest } from './__fixtures__/fake-fetch.js';
import {
  M2mConfigurationError,
  M2mNetworkError,
  M2mOAuthError,
  M2mResponseError,
} from './errors/m2m-client.error.js';
import { M2mTokenClient } from './token-client.js';
import type { M2mTokenClientOptions } from './options/token-client.options.js';

const TOKEN_ENDPOINT = 'https://auth.example.com/oauth2/token';
const SECRET = 'm2ms_Very-Secret-Value_0123456789abcdefghijklmnop';
const T0 = Date.parse('2026-03-01T12:00:00Z');

function client(
  fetchFn: M2mTokenClientOptions['fetch'],
  options: Partial<M2mTokenClientOptions> = {},
) {
  return new M2mTokenClient({
    tokenEndpoint: TOKEN_ENDPOINT,
    clientId: 'm2mc_caller',
    clientSecret: SECRET,
    fetch: fetchFn,
    ...options,
  });
}

const form = (request: SeenRequest) => Object.fromEntries(new URLSearchParams(request.body));

beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
});

afterEach(() => {
  jest.useRealTimers();
  jest.restoreAllMocks();
});

describe('M2mTokenClient.getToken', () => {
  it('sends one client_secret_basic request and returns the token', async () => {
    const server = tokenIssuer();
    const { fetch, seen } = fakeFetch(server.handler);
    const m2m = client(fetch, { clientId: 'id:with space', clientSecret: 'p@ss:wörd+' });
    await expect(
      m2m.getToken({ scopes: ['b', 'a'], resource: 'https://api.example.com' }),
    ).resolves.toBe('token-1');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url).toBe(TOKEN_ENDPOINT);
    expect(seen[0]!.method).toBe('POST');
    // RFC 6749 §2.3.1: each part form-urlencoded, then joined and base64-encoded.
    expect(seen[0]!.headers.get('authorization')).toBe(
      `Basic ${Buffer.from('id%3Awith+space:p%40ss%3Aw%C3%B6rd%2B').toString('base64')}`,
    );
    expect(seen[0]!.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(form(seen[0]!)).toEqual({
      grant_type: 'client_credentials',
      scope: 'b a',
      resource: 'https://api.example.com',
    });
  });

  it('sends client_secret_post credentials in the body, without a Basic header', async () => {
    const { fetch, seen } = fakeFetch(tokenIssuer().handler);
    await client(fetch, { authMethod: 'client_secret_post', scopes: ['reports:read'] }).getToken();
    expect(seen[0]!.headers.get('authorization')).toBeNull();
    expect(form(seen[0]!)).toEqual({
      grant_type: 'client_credentials',
      scope: 'reports:read',
      client_id: 'm2mc_caller',
      client_secret: SECRET,
    });
  });

  it('shares one request among concurrent callers (single-flight)', async () => {
    const server = tokenIssuer();
    const { fetch, seen } = fakeFetch(server.handler);
    const m2m = client(fetch);
    const tokens = await Promise.all(Array.from({ length: 500 }, () => m2m.getToken()));
    expect(new Set(tokens)).toEqual(new Set(['token-1']));
    expect(seen).toHaveLength(1);
    await expect(m2m.getToken()).resolves.toBe('token-1');
    expect(seen).toHaveLength(1);
  });

  it('caches per resource and set of scopes, in any order', async () => {
    const server = tokenIssuer();
    const { fetch, seen } = fakeFetch(server.handler);
    const m2m = client(fetch);
    expect(await m2m.getToken({ scopes: ['a', 'b'] })).toBe('token-1');
    expect(await m2m.getToken({ scopes: ['b', 'a', 'b'] })).toBe('token-1');
    expect(await m2m.getToken({ scopes: ['a'] })).toBe('token-2');
    expect(await m2m.getToken({ scopes: ['a'], resource: 'https://x.example' })).toBe('token-3');
    expect(await m2m.getToken()).toBe('token-4');
    expect(seen).toHaveLength(4);
  });

  it('refreshes ahead in the background while serving the current token', async () => {
    // expires_in 300 s, 30 s skew: usable for 270 s; refresh 60 s ahead, at 210 s.
    const server = tokenIssuer(300);
    const { fetch, seen } = fakeFetch(server.handler);
    const m2m = client(fetch);
    expect(await m2m.getToken()).toBe('token-1');
    await jest.advanceTimersByTimeAsync(209_999);
    expect(await m2m.getToken()).toBe('token-1');
    expect(seen).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(await m2m.getToken()).toBe('token-1');
    await jest.advanceTimersByTimeAsync(0);
    expect(seen).toHaveLength(2);
    expect(await m2m.getToken()).toBe('token-2');
    expect(seen).toHaveLength(2);
  });

  it('never hands out a token past its expiry, whatever the call pattern (fake clock)', async () => {
    const issuedExpiry = new Map<string, number>();
    let count = 0;
    // The server takes 1.5 s to answer; tokens live 20 s.
    const { fetch } = fakeFetch(async () => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      count += 1;
      issuedExpiry.set(`token-${count}`, Date.now() + 20_000);
      return json(200, { access_token: `token-${count}`, token_type: 'Bearer', expires_in: 20 });
    });
    const m2m = client(fetch);
    const used: number[] = [];
    for (let second = 0; second < 300; second += 1) {
      const pending = Promise.all([m2m.getToken(), m2m.getToken()]);
      await jest.advanceTimersByTimeAsync(second % 7 === 0 ? 1700 : 900);
      for (const token of await pending) {
        expect(Date.now()).toBeLessThan(issuedExpiry.get(token)!);
        used.push(Number(token.slice(6)));
      }
    }
    expect(count).toBeGreaterThan(10);
    expect(Math.max(...used)).toBeGreaterThan(10);
  });

  it('keeps serving the current token when a background refresh fails, then reports the failure', async () => {
    let answer = 0;
    const { fetch, seen } = fakeFetch(() => {
      answer += 1;
      return answer === 1
        ? json(200, { access_token: 'token-1', token_type: 'Bearer', expires_in: 300 })
        : json(401, {
            error: 'invalid_client',
            error_description: 'Client authentication failed.',
          });
    });
    const m2m = client(fetch);
    await m2m.getToken();
    await jest.advanceTimersByTimeAsync(210_000);
    expect(await m2m.getToken()).toBe('token-1');
    await jest.advanceTimersByTimeAsync(0);
    expect(seen).toHaveLength(2);
    // After a failed refresh, the next background attempt waits (200 ms, then doubling).
    expect(await m2m.getToken()).toBe('token-1');
    await jest.advanceTimersByTimeAsync(199);
    expect(seen).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(1);
    expect(await m2m.getToken()).toBe('token-1');
    await jest.advanceTimersByTimeAsync(0);
    expect(seen).toHaveLength(3);
    await jest.advanceTimersByTimeAsync(60_000);
    await expect(m2m.getToken()).rejects.toThrow(
      `${TOKEN_ENDPOINT} answered 401 invalid_client: Client authentication failed.`,
    );
  });

  it('fetches anew after invalidate()', async () => {
    const { fetch, seen } = fakeFetch(tokenIssuer().handler);
    const m2m = client(fetch);
    expect(await m2m.getToken()).toBe('token-1');
    m2m.invalidate();
    expect(await m2m.getToken()).toBe('token-2');
    expect(seen).toHaveLength(2);
  });

  it('treats a token without expires_in as living defaultExpiresInSeconds', async () => {
    let count = 0;
    const { fetch } = fakeFetch(() => {
      count += 1;
      return json(200, { access_token: `token-${count}`, token_type: 'bearer' });
    });
    const m2m = client(fetch, { defaultExpiresInSeconds: 40, refreshAheadSeconds: 0 });
    expect(await m2m.getToken()).toBe('token-1');
    // 40 s less a quarter of it as skew (10 s): served for 30 s.
    await jest.advanceTimersByTimeAsync(29_999);
    expect(await m2m.getToken()).toBe('token-1');
    await jest.advanceTimersByTimeAsync(1);
    expect(await m2m.getToken()).toBe('token-2');
  });

  it.each([
    [{ access_token: 'x', token_type: 'DPoP', expires_in: 60 }, 'token_type Bearer'],
    [{ token_type: 'Bearer', expires_in: 60 }, 'an access_token'],
    [{ access_token: 'x', token_type: 'Bearer', expires_in: '60' }, 'a positive expires_in'],
    [{ access_token: 'x', token_type: 'Bearer', expires_in: 0 }, 'a positive expires_in'],
  ])('refuses the token response %j', async (body, what) => {
    const { fetch, seen } = fakeFetch(() => json(200, body));
    const error = await client(fetch)
      .getToken()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(M2mResponseError);
    expect((error as Error).message).toBe(`${TOKEN_ENDPOINT} answered 200 without ${what}`);
    expect(seen).toHaveLength(1);
  });
});

describe('retries', () => {
  it.each([
    ['invalid_client', 401],
    ['invalid_scope', 400],
    ['invalid_target', 400],
    ['invalid_client', 500],
  ])('never retries %s (%i)', async (code, status) => {
    const { fetch, seen } = fakeFetch(() =>
      json(status, { error: code, error_description: 'fixed description' }, { 'retry-after': '0' }),
    );
    const error = await client(fetch)
      .getToken()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(M2mOAuthError);
    expect(error).toMatchObject({
      error: code,
      errorDescription: 'fixed description',
      status,
      name: 'M2mOAuthError',
    });
    await jest.advanceTimersByTimeAsync(60_000);
    expect(seen).toHaveLength(1);
  });

  it('does not retry other 4xx errors either', async () => {
    const { fetch, seen } = fakeFetch(() => json(400, { error: 'unsupported_grant_type' }));
    await expect(client(fetch).getToken()).rejects.toMatchObject({
      error: 'unsupported_grant_type',
      errorDescription: undefined,
      status: 400,
    });
    expect(seen).toHaveLength(1);
  });

  it.each([503, 429])('waits for Retry-After on %i, then retries', async (status) => {
    let answer = 0;
    const { fetch, seen } = fakeFetch(() => {
      answer += 1;
      return answer === 1
        ? json(status, { error: 'temporarily_unavailable' }, { 'retry-after': '3' })
        : json(200, { access_token: 'after-wait', token_type: 'Bearer', expires_in: 60 });
    });
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    const token = client(fetch).getToken();
    await jest.advanceTimersByTimeAsync(2999);
    expect(seen).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(seen).toHaveLength(2);
    await expect(token).resolves.toBe('after-wait');
  });

  it('backs off exponentially with jitter on network errors and 5xx, then gives up', async () => {
    const { fetch, seen } = fakeFetch((request) => {
      if (seen.length % 2 === 1) throw new TypeError('fetch failed');
      void request;
      return new Response('<html>Bad gateway</html>', { status: 502 });
    });
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    const failure = client(fetch)
      .getToken()
      .catch((e: unknown) => e);
    // Retries after 100, 200 and 400 ms (half of 200, 400, 800): four attempts in all.
    const times: number[] = [];
    for (const step of [100, 200, 400]) {
      await jest.advanceTimersByTimeAsync(step - 1);
      times.push(seen.length);
      await jest.advanceTimersByTimeAsync(1);
      times.push(seen.length);
    }
    expect(times).toEqual([1, 2, 2, 3, 3, 4]);
    const error = await failure;
    expect(error).toBeInstanceOf(M2mResponseError);
    expect((error as Error).message).toBe(`${TOKEN_ENDPOINT} answered 502 without an OAuth error`);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(seen).toHaveLength(4);
  });

  it('reports a network failure as M2mNetworkError when the attempts run out', async () => {
    const { fetch, seen } = fakeFetch(() => {
      throw new TypeError('fetch failed');
    });
    const failure = client(fetch, { retry: { maxAttempts: 2 } })
      .getToken()
      .catch((e: unknown) => e);
    await jest.advanceTimersByTimeAsync(200);
    const error = await failure;
    expect(error).toBeInstanceOf(M2mNetworkError);
    expect((error as Error).message).toBe(`${TOKEN_ENDPOINT} could not be reached`);
    expect(seen).toHaveLength(2);
  });

  it('gives up at once when Retry-After is longer than maxDelayMs', async () => {
    const { fetch, seen } = fakeFetch(() =>
      json(503, { error: 'temporarily_unavailable' }, { 'retry-after': '11' }),
    );
    await expect(client(fetch).getToken()).rejects.toMatchObject({
      error: 'temporarily_unavailable',
      status: 503,
      retryAfterMs: 11_000,
    });
    expect(seen).toHaveLength(1);
  });
});

describe('secrets in errors', () => {
  it('never shows the secret, even when the server echoes it', async () => {
    const { fetch } = fakeFetch((request) =>
      json(400, {
        error: 'invalid_request',
        error_description: `bad body: ${request.body}`,
      }),
    );
    const error = (await client(fetch, { authMethod: 'client_secret_post' })
      .getToken()
      .catch((e: unknown) => e)) as M2mOAuthError;
    expect(error.errorDescription).toBe(
      'bad body: grant_type=client_credentials&client_id=m2mc_caller&client_secret=[redacted]',
    );
    for (const text of [error.message, error.stack ?? '', JSON.stringify(error), String(error)]) {
      expect(text).not.toContain(SECRET);
    }
  });

  it('keeps the secret and the Basic header out of network errors', async () => {
    const { fetch } = fakeFetch((request) => {
      throw new TypeError(`connect failed`, { cause: request.headers.get('authorization') });
    });
    const error = (await client(fetch, { retry: { maxAttempts: 1 } })
      .getToken()
      .catch((e: unknown) => e)) as M2mNetworkError;
    expect(error.message).toBe(`${TOKEN_ENDPOINT} could not be reached`);
    expect(JSON.stringify(error)).not.toContain(SECRET);
    expect(String(error)).not.toContain(SECRET);
  });

  it('names no secret in configuration errors', () => {
    expect(() => client(undefined, { privateKey: { kty: 'EC' } })).toThrow(
      new M2mConfigurationError(
        'Give clientSecret or privateKey, not both: private_key_jwt sends no secret.',
      ),
    );
  });
});

describe('private_key_jwt', () => {
  it('sends a signed assertion whose audience is the issuer', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), kid: 'k1' };
    const metadata = {
      issuer: 'https://auth.example.com',
      token_endpoint: TOKEN_ENDPOINT,
    };
    const { fetch, seen } = fakeFetch((request) =>
      request.url === TOKEN_ENDPOINT
        ? json(200, { access_token: 'signed-in', token_type: 'Bearer', expires_in: 60 })
        : json(200, metadata),
    );
    const m2m = new M2mTokenClient({
      issuer: 'https://auth.example.com',
      clientId: 'm2mc_signer',
      privateKey: jwk,
      fetch,
    });
    await expect(m2m.getToken()).resolves.toBe('signed-in');
    const body = form(seen[1]!);
    expect(Object.keys(body).sort()).toEqual([
      'client_assertion',
      'client_assertion_type',
      'client_id',
      'grant_type',
    ]);
    expect(body['client_assertion_type']).toBe(
      'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    );
    expect(seen[1]!.headers.get('authorization')).toBeNull();
    const { payload, protectedHeader } = await jwtVerify(body['client_assertion']!, publicKey, {
      currentDate: new Date(T0),
    });
    expect(protectedHeader).toEqual({ alg: 'ES256', kid: 'k1' });
    expect(payload).toEqual({
      iss: 'm2mc_signer',
      sub: 'm2mc_signer',
      aud: 'https://auth.example.com',
      iat: T0 / 1000,
      exp: T0 / 1000 + 60,
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });

  it('infers the algorithm of a CryptoKey and signs a fresh assertion per request', async () => {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA');
    const { fetch, seen } = fakeFetch(tokenIssuer().handler);
    const m2m = client(fetch, { clientSecret: undefined, privateKey, kid: 'ed' });
    await m2m.getToken({ scopes: ['a'] });
    await m2m.getToken({ scopes: ['b'] });
    const [first, second] = seen.map((request) => form(request)['client_assertion']!);
    expect(first).not.toBe(second);
    const verified = await jwtVerify(first!, publicKey, { currentDate: new Date(T0) });
    expect(verified.protectedHeader).toEqual({ alg: 'EdDSA', kid: 'ed' });
    // Without an issuer, the audience is the token endpoint.
    expect(verified.payload.aud).toBe(TOKEN_ENDPOINT);
  });
});

describe('discovery', () => {
  it('reads RFC 8414 metadata once, inserting the well-known path before the issuer path', async () => {
    const issuer = 'https://auth.example.com/tenant-a';
    const { fetch, seen } = fakeFetch((request) =>
      request.url.includes('.well-known')
        ? json(200, { issuer, token_endpoint: `${issuer}/token` })
        : json(200, { access_token: `t${seen.length}`, token_type: 'Bearer', expires_in: 60 }),
    );
    const m2m = client(fetch, { tokenEndpoint: undefined, issuer });
    await Promise.all([m2m.getToken({ scopes: ['a'] }), m2m.getToken({ scopes: ['b'] })]);
    expect(seen.map((request) => request.url)).toEqual([
      'https://auth.example.com/.well-known/oauth-authorization-server/tenant-a',
      `${issuer}/token`,
      `${issuer}/token`,
    ]);
  });

  it('falls back to OpenID Connect discovery when RFC 8414 metadata is not found', async () => {
    const issuer = 'https://op.example.com';
    const { fetch, seen } = fakeFetch((request) => {
      if (request.url.endsWith('/oauth-authorization-server'))
        return new Response('', { status: 404 });
      if (request.url.endsWith('/openid-configuration')) {
        return json(200, { issuer, token_endpoint: `${issuer}/token` });
      }
      return json(200, { access_token: 'from-op', token_type: 'Bearer', expires_in: 60 });
    });
    await expect(client(fetch, { tokenEndpoint: undefined, issuer }).getToken()).resolves.toBe(
      'from-op',
    );
    expect(seen.map((request) => request.url)).toEqual([
      `${issuer}/.well-known/oauth-authorization-server`,
      `${issuer}/.well-known/openid-configuration`,
      `${issuer}/token`,
    ]);
  });

  it('refuses metadata that names another issuer (RFC 8414 §3.3)', async () => {
    const { fetch, seen } = fakeFetch(() =>
      json(200, { issuer: 'https://evil.example', token_endpoint: 'https://evil.example/token' }),
    );
    const m2m = client(fetch, { tokenEndpoint: undefined, issuer: 'https://auth.example.com' });
    await expect(m2m.getToken()).rejects.toThrow(
      new M2mResponseError(
        'https://auth.example.com/.well-known/oauth-authorization-server names the issuer "https://evil.example", not "https://auth.example.com" (RFC 8414 §3.3)',
        200,
      ),
    );
    expect(seen).toHaveLength(1);
  });
});

describe('options', () => {
  it.each([
    [{ tokenEndpoint: undefined }, 'Give exactly one of issuer (discovery) or tokenEndpoint.'],
    [{ issuer: 'https://a.example' }, 'Give exactly one of issuer (discovery) or tokenEndpoint.'],
    [{ tokenEndpoint: 'token' }, 'tokenEndpoint must be an absolute URL; got "token".'],
    [{ clientId: '' }, 'clientId is required.'],
    [
      { clientSecret: undefined },
      'authMethod client_secret_basic needs a clientSecret (or give a privateKey for private_key_jwt).',
    ],
    [{ authMethod: 'private_key_jwt' as const }, 'authMethod private_key_jwt needs a privateKey.'],
    [{ retry: { maxAttempts: 0 } }, 'retry.maxAttempts must be an integer ≥ 1; got 0.'],
  ])('refuses %j', (options, message) => {
    expect(() => client(undefined, options)).toThrow(new M2mConfigurationError(message));
  });
});
