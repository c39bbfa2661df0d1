import { ApiError, M2mApi, signIn } from './api.js';

// The console's calls, as the server sees them: URLs, methods, headers and bodies, and how the
// server's refusals reach the screens.

type Call = [string, RequestInit];

function answering(status: number, body: unknown, type = 'application/json'): jest.Mock {
  return jest.fn(
    async () =>
      new Response(status === 204 ? null : JSON.stringify(body), {
        status,
        headers: { 'Content-Type': type },
      }),
  );
}

describe('console API calls', () => {
  const realFetch = globalThis.fetch;
  let fetchMock: jest.Mock;
  const calls = () => fetchMock.mock.calls as Call[];

  afterEach(() => {
    globalThis.fetch = realFetch;
  });

  const use = (mock: jest.Mock) => {
    fetchMock = mock;
    globalThis.fetch = mock as unknown as typeof fetch;
  };

  it('signs in with client_secret_basic, both parts form-encoded first (RFC 6749 §2.3.1)', async () => {
    use(answering(200, { access_token: 'at', token_type: 'Bearer', expires_in: 300 }));
    const before = Date.now();
    const session = await signIn('/api/', 'id with:colon', 'p@ss+/=é');
    const [url, init] = calls()[0]!;
    expect(url).toBe('/api/oauth2/token');
    expect(init.method).toBe('POST');
    expect(init.credentials).toBe('omit');
    expect((init.headers as Record<string, string>)['Authorization']).toBe(
      `Basic ${btoa('id+with%3Acolon:p%40ss%2B%2F%3D%C3%A9')}`,
    );
    expect(String(init.body)).toBe('grant_type=client_credentials&scope=m2m%3Aadmin');
    expect(session.accessToken).toBe('at');
    expect(session.clientId).toBe('id with:colon');
    expect(session.expiresAt).toBeGreaterThanOrEqual(before + 300_000);
  });

  it.each([
    ['invalid_client', 401, 'The client ID or the client secret is wrong.'],
    [
      'invalid_scope',
      400,
      'This client may not use the admin API: it does not have the m2m:admin scope.',
    ],
  ])('a refused sign-in (%s) says what to do', async (error, status, message) => {
    use(answering(status, { error, error_description: 'x' }));
    await expect(signIn('/', 'id', 'secret')).rejects.toEqual(
      new ApiError(status, message, [], error),
    );
  });

  it('lists with only the filters that are set, the cursor and the caller’s headers', async () => {
    use(answering(200, { data: [], next_cursor: null }));
    const api = new M2mApi('/', 'admin', () => ({ Authorization: 'Bearer t' }));
    await api.listClients(
      { name_prefix: 'batch', status: 'disabled', owner_id: '', expires_within_days: 30 },
      'c1',
    );
    const [url, init] = calls()[0]!;
    expect(url).toBe(
      '/m2m/clients?limit=20&name_prefix=batch&status=disabled&expires_within_days=30&cursor=c1',
    );
    expect(init).toMatchObject({
      method: 'GET',
      credentials: 'same-origin',
      cache: 'no-store',
      redirect: 'error',
    });
    expect(init.headers).toEqual({
      Authorization: 'Bearer t',
      Accept: 'application/json, application/problem+json',
    });
  });

  it('the owner source calls the owner API, with the page’s cookies and the host’s headers', async () => {
    use(answering(200, { data: [], next_cursor: null }));
    const headers = { 'X-CSRF-Token': 'abc' };
    const api = new M2mApi('/api/', 'owner', () => headers);
    await api.listClients({}, null);
    await api.auditEvents('m2mc_1/x', null);
    await api.startRotation('m2mc_1');
    expect(calls().map(([url, init]) => [init.method, url])).toEqual([
      ['GET', '/api/m2m/owner/clients?limit=20'],
      ['GET', '/api/m2m/owner/clients/m2mc_1%2Fx/audit-events?limit=20'],
      ['POST', '/api/m2m/owner/clients/m2mc_1/secrets/rotation'],
    ]);
    const [, rotation] = calls()[2]!;
    expect(rotation.credentials).toBe('same-origin');
    expect(rotation.headers).toMatchObject({
      'X-CSRF-Token': 'abc',
      'Content-Type': 'application/json',
    });
    expect(rotation.body).toBe('{}');
  });

  it('operators read a client’s events from the audit log, filtered by client', async () => {
    use(answering(200, { data: [], next_cursor: null }));
    await new M2mApi('/', 'admin').auditEvents('m2mc_1', 'next');
    expect(calls()[0]![0]).toBe('/m2m/audit-events?limit=20&cursor=next&client_id=m2mc_1');
  });

  it('what may be granted: scopes_supported for operators, the owner policy for owners', async () => {
    use(answering(200, { scopes_supported: ['a', 'b'] }));
    expect(await new M2mApi('/', 'admin').grantable()).toEqual({
      scopes: ['a', 'b'],
      audiences: null,
    });
    expect(calls()[0]![0]).toBe('/.well-known/oauth-authorization-server');
    use(answering(200, { scopes: ['orders:read'], audiences: ['https://orders.example.com'] }));
    expect(await new M2mApi('/', 'owner').grantable()).toEqual({
      scopes: ['orders:read'],
      audiences: ['https://orders.example.com'],
    });
    expect(calls()[0]![0]).toBe('/m2m/owner/policy');
  });

  it('a problem keeps its field errors (pointer and detail) and its detail as the message', async () => {
    use(
      answering(
        400,
        {
          type: 'urn:m2m:problem:invalid-client',
          title: 'Invalid client',
          status: 400,
          detail: 'The client is invalid.',
          errors: [{ pointer: '#/client_name', detail: 'must not be empty' }, 'junk', { x: 1 }],
        },
        'application/problem+json',
      ),
    );
    await expect(
      new M2mApi('/', 'admin').createClient({ client_name: '', scopes: [] }),
    ).rejects.toEqual(
      new ApiError(400, 'The client is invalid.', [
        { pointer: '#/client_name', detail: 'must not be empty' },
      ]),
    );
  });

  it('an answer that is not JSON still becomes an error with its status', async () => {
    use(jest.fn(async () => new Response('<html>Bad gateway</html>', { status: 502 })));
    await expect(new M2mApi('/', 'admin').getClient('m2mc_1')).rejects.toEqual(
      new ApiError(502, 'The server answered 502.'),
    );
  });

  it('delete answers 204 with no body', async () => {
    use(answering(204, null));
    await expect(new M2mApi('/', 'admin').deleteClient('m2mc_1')).resolves.toBeUndefined();
    expect(calls()[0]![1].method).toBe('DELETE');
  });
});
