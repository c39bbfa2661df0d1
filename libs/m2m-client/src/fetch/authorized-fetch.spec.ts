import { fakeFetch, json, type SeenRequest } from '../__fixtures__/fake-fetch.js';
import { M2mTokenClient } from '../token-client.js';

const TOKEN_ENDPOINT = 'https://auth.example.com/oauth2/token';
const API = 'https://api.example.com/reports';
const EXPIRED = 'Bearer realm="api", error="invalid_token", error_description="expired"';

/**
 * A token endpoint and an API behind one fake fetch: the API answers `apiAnswer` for each call
 * (by call number, from 1), or 200 with the token it saw.
 */
function setup(apiAnswer: (call: number, request: SeenRequest) => Response | undefined) {
  let tokens = 0;
  let apiCalls = 0;
  const { fetch, seen } = fakeFetch((request) => {
    if (request.url === TOKEN_ENDPOINT) {
      tokens += 1;
      return json(200, { access_token: `token-${tokens}`, token_type: 'Bearer', expires_in: 300 });
    }
    apiCalls += 1;
    return (
      apiAnswer(apiCalls, request) ??
      json(200, { saw: request.headers.get('authorization'), body: request.body ?? null })
    );
  });
  const client = new M2mTokenClient({
    tokenEndpoint: TOKEN_ENDPOINT,
    clientId: 'caller',
    clientSecret: 'secret',
    fetch,
  });
  const calls = (url: string) => seen.filter((request) => request.url === url);
  return { client, calls };
}

describe('M2mTokenClient.fetch', () => {
  it('adds the bearer token and keeps the caller headers, replacing any Authorization', async () => {
    const { client, calls } = setup(() => undefined);
    const response = await client.fetch(API, {
      method: 'POST',
      headers: { 'x-trace': 't-1', authorization: 'Basic xyz' },
      body: '{"a":1}',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ saw: 'Bearer token-1', body: '{"a":1}' });
    expect(calls(API)[0]!.headers.get('x-trace')).toBe('t-1');
    expect(calls(API)[0]!.method).toBe('POST');
  });

  it('takes the headers of a Request input too', async () => {
    const { client, calls } = setup(() => undefined);
    await client.fetch(new Request(API, { headers: { 'x-from-request': 'yes' } }));
    expect(calls(API)[0]!.headers.get('x-from-request')).toBe('yes');
    expect(calls(API)[0]!.headers.get('authorization')).toBe('Bearer token-1');
  });

  it('on 401 invalid_token drops the token, gets a new one and retries once', async () => {
    const { client, calls } = setup((call) =>
      call === 1 ? json(401, {}, { 'www-authenticate': EXPIRED }) : undefined,
    );
    const response = await client.fetch(API, { method: 'PUT', body: 'same body' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ saw: 'Bearer token-2', body: 'same body' });
    expect(calls(TOKEN_ENDPOINT)).toHaveLength(2);
    expect(calls(API)).toHaveLength(2);
    // The new token is cached for the next call.
    expect(await client.getToken()).toBe('token-2');
  });

  it('retries only once: a second invalid_token answer is returned as it is', async () => {
    const { client, calls } = setup(() => json(401, { n: 1 }, { 'www-authenticate': EXPIRED }));
    const response = await client.fetch(API);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(EXPIRED);
    expect(calls(API)).toHaveLength(2);
    expect(calls(TOKEN_ENDPOINT)).toHaveLength(2);
  });

  it.each([
    ['401 without an error code', 401, 'Bearer realm="api"'],
    ['403 insufficient_scope', 403, 'Bearer error="insufficient_scope", scope="reports:write"'],
    ['401 invalid_token of another scheme', 401, 'DPoP error="invalid_token"'],
    ['500', 500, 'Bearer error="invalid_token"'],
  ])('does not retry on %s', async (_case, status, challenge) => {
    const { client, calls } = setup(() => json(status, {}, { 'www-authenticate': challenge }));
    expect((await client.fetch(API)).status).toBe(status);
    expect(calls(API)).toHaveLength(1);
    expect(calls(TOKEN_ENDPOINT)).toHaveLength(1);
  });

  it('does not retry a request whose body is a stream, which cannot be sent twice', async () => {
    const { client, calls } = setup(() => json(401, {}, { 'www-authenticate': EXPIRED }));
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('chunk'));
        controller.close();
      },
    });
    const response = await client.fetch(API, {
      method: 'POST',
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(401);
    expect(calls(API)).toHaveLength(1);
    expect(calls(TOKEN_ENDPOINT)).toHaveLength(1);
    // The refused token stays cached: the stream request could not tell a retry what to do.
    expect(await client.getToken()).toBe('token-1');
  });

  it.each([
    ['URLSearchParams', new URLSearchParams({ a: '1' })],
    ['Blob', new Blob(['x'])],
    ['Uint8Array', new Uint8Array([1, 2])],
  ])('retries a request whose body is a %s', async (_case, body) => {
    const { client, calls } = setup((call) =>
      call === 1 ? json(401, {}, { 'www-authenticate': EXPIRED }) : undefined,
    );
    expect((await client.fetch(API, { method: 'POST', body })).status).toBe(200);
    expect(calls(API).map((request) => request.rawBody)).toEqual([body, body]);
  });

  it('keeps a token that another caller already replaced', async () => {
    const { client, calls } = setup((call) =>
      call <= 2 ? json(401, {}, { 'www-authenticate': EXPIRED }) : undefined,
    );
    const [a, b] = await Promise.all([client.fetch(API), client.fetch(API)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    // Both saw token-1 refused; one new token serves both retries.
    expect(calls(TOKEN_ENDPOINT)).toHaveLength(2);
    expect(calls(API).map((request) => request.headers.get('authorization'))).toEqual([
      'Bearer token-1',
      'Bearer token-1',
      'Bearer token-2',
      'Bearer token-2',
    ]);
  });
});
