import { DataSource } from 'typeorm';
import type { Response } from 'supertest';
import { basic, createClient, getToken, startServer, type TestServer } from './support/server.js';

const PROBLEM = 'application/problem+json; charset=utf-8';
const CLIENT_KEYS = [
  'audiences',
  'client_id',
  'client_name',
  'created_at',
  'description',
  'expires_at',
  'jwks',
  'jwks_uri',
  'last_used_at',
  'metadata',
  'owner_id',
  'rotation',
  'scopes',
  'secret_created_at',
  'secret_hint',
  'secret_last_used_at',
  'status',
  'token_count',
  'token_endpoint_auth_method',
  'updated_at',
];

interface ClientBody {
  client_id: string;
  client_secret?: string;
  client_name: string;
  description: string | null;
  scopes: string[];
  metadata: Record<string, unknown> | null;
  status: string;
  secret_hint: string;
  expires_at: string | null;
  created_at: string;
  updated_at: string;
  secret_created_at: string;
}

function validationProblem(errors: { pointer: string; detail: string }[]) {
  return {
    type: 'urn:m2m:problem:validation-error',
    title: 'Invalid request',
    status: 400,
    detail: errors.map((e) => `${e.pointer}: ${e.detail}`).join('; '),
    errors,
  };
}

describe('admin API (/m2m/clients)', () => {
  let server: TestServer;
  let adminToken: string;

  beforeAll(async () => {
    server = await startServer();
    adminToken = await getToken(server, await createClient(server, ['m2m:admin'], 'admin'));
  });

  afterAll(async () => {
    await server.close();
    await server.database.drop();
  });

  const as = (token: string) => ({
    post: (path: string) => server.http().post(path).set('Authorization', `Bearer ${token}`),
    get: (path: string) => server.http().get(path).set('Authorization', `Bearer ${token}`),
    patch: (path: string) => server.http().patch(path).set('Authorization', `Bearer ${token}`),
    delete: (path: string) => server.http().delete(path).set('Authorization', `Bearer ${token}`),
  });
  const admin = () => as(adminToken);
  const create = async (body: object): Promise<ClientBody> => {
    const response = await admin().post('/m2m/clients').send(body);
    expect(response.status).toBe(201);
    return response.body as ClientBody;
  };
  const countClients = async () =>
    Number(
      (
        (await server.app.get(DataSource).query('SELECT COUNT(*) AS n FROM m2m_clients')) as {
          n: string | number;
        }[]
      )[0]!.n,
    );
  const tokenStatus = async (id: string, secret: string) =>
    (
      await server
        .http()
        .post('/oauth2/token')
        .set('Authorization', basic(id, secret))
        .type('form')
        .send({ grant_type: 'client_credentials' })
    ).status;

  function expectProblem(response: Response, status: number, body: object): void {
    expect({ status: response.status, body: response.body as object }).toEqual({ status, body });
    expect(response.headers['content-type']).toBe(PROBLEM);
  }

  describe('access', () => {
    it('no token: 401 problem with a bare Bearer challenge', async () => {
      const response = await server.http().get('/m2m/clients');
      expectProblem(response, 401, {
        type: 'about:blank',
        title: 'Unauthorized',
        status: 401,
        detail: 'A bearer access token is required.',
      });
      expect(response.headers['www-authenticate']).toBe('Bearer realm="m2m"');
    });

    it('a token without m2m:admin: 403 insufficient_scope naming m2m:admin', async () => {
      const token = await getToken(server, await createClient(server, ['reports:read']));
      const response = await as(token).get('/m2m/clients');
      expectProblem(response, 403, {
        type: 'about:blank',
        title: 'Forbidden',
        status: 403,
        detail: 'The access token does not carry the required scope.',
        error: 'insufficient_scope',
      });
      expect(response.headers['www-authenticate']).toBe(
        'Bearer realm="m2m", error="insufficient_scope", error_description="The access token does not carry the required scope.", scope="m2m:admin"',
      );
    });

    it('a garbage token: 401 invalid_token', async () => {
      const response = await as('not.a.token').post('/m2m/clients').send({});
      expectProblem(response, 401, {
        type: 'about:blank',
        title: 'Unauthorized',
        status: 401,
        detail: 'The access token is invalid or has expired.',
        error: 'invalid_token',
      });
    });
  });

  describe('create', () => {
    it('201 with Location, no-store, and the secret, which works at the token endpoint', async () => {
      const response = await admin()
        .post('/m2m/clients')
        .send({ client_name: 'billing', scopes: ['reports:read'] });
      expect(response.status).toBe(201);
      const body = response.body as ClientBody;
      expect(response.headers['location']).toBe(`/m2m/clients/${body.client_id}`);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(Object.keys(body).sort()).toEqual([...CLIENT_KEYS, 'client_secret'].sort());
      expect(body).toMatchObject({
        client_name: 'billing',
        description: null,
        scopes: ['reports:read'],
        metadata: null,
        status: 'active',
        expires_at: null,
        owner_id: null,
        rotation: null,
        last_used_at: null,
        secret_last_used_at: null,
        token_count: 0,
      });
      expect(body.secret_created_at).toBe(body.created_at);
      expect(body.client_id).toMatch(/^m2mc_[A-Za-z0-9_-]{22}$/);
      expect(body.client_secret).toMatch(/^m2ms_[A-Za-z0-9_-]{43}[0-9A-Za-z]{6}$/);
      expect(body.secret_hint).toBe(body.client_secret!.slice(-4));
      expect(body.created_at).toBe(body.updated_at);
      expect(await tokenStatus(body.client_id, body.client_secret!)).toBe(200);
    });

    it('round-trips description, metadata and expires_at', async () => {
      const expiresAt = new Date(Date.now() + 7 * 24 * 3600 * 1000);
      expiresAt.setMilliseconds(0);
      const body = await create({
        client_name: 'partner',
        description: 'Acme nightly sync',
        scopes: ['reports:read', 'reports:write'],
        metadata: { tenant: 'acme', tier: 2, beta: true, note: null },
        expires_at: expiresAt.toISOString(),
      });
      const fetched = (await admin().get(`/m2m/clients/${body.client_id}`)).body as ClientBody;
      expect(fetched).toMatchObject({
        description: 'Acme nightly sync',
        scopes: ['reports:read', 'reports:write'],
        metadata: { tenant: 'acme', tier: 2, beta: true, note: null },
        expires_at: expiresAt.toISOString(),
      });
    });

    it('accepts a 200-character name', async () => {
      expect((await create({ client_name: 'n'.repeat(200), scopes: [] })).client_name).toHaveLength(
        200,
      );
    });
  });

  describe('secret shown once', () => {
    it('never appears again in get, list or update responses', async () => {
      const created = await create({ client_name: 'once', scopes: ['reports:read'] });
      const responses = [
        await admin().get(`/m2m/clients/${created.client_id}`),
        await admin().get('/m2m/clients?limit=100'),
        await admin().patch(`/m2m/clients/${created.client_id}`).send({ description: 'x' }),
      ];
      for (const response of responses) {
        expect(response.status).toBe(200);
        expect(response.text).not.toContain(created.client_secret);
        expect(response.text).not.toContain('"client_secret"');
        expect(response.text).not.toContain('secret_hash');
        expect(response.text).not.toMatch(/\$2[aby]\$/);
      }
    });
  });

  describe('hash at rest', () => {
    it('stores only a bcrypt hash of the secret, and the secret in no column', async () => {
      const created = await create({ client_name: 'hashed', scopes: ['reports:read'] });
      const param = server.database.config.type === 'postgres' ? '$1' : '?';
      const [row] = (await server.app
        .get(DataSource)
        .query(`SELECT * FROM m2m_clients WHERE client_id = ${param}`, [
          created.client_id,
        ])) as Record<string, unknown>[];
      expect(String(row!['secret_hash'])).toMatch(/^\$2[aby]\$04\$[./A-Za-z0-9]{53}$/);
      expect(row!['secret_hint']).toBe(created.client_secret!.slice(-4));
      for (const value of Object.values(row!)) {
        expect(String(value)).not.toContain(created.client_secret!.slice(5, -4));
      }
    });
  });

  describe('validation: 400 problem+json listing the fields, and nothing written', () => {
    it.each([
      [
        'an empty name',
        { client_name: '', scopes: [] },
        [{ pointer: '#/client_name', detail: 'must be a non-empty string' }],
      ],
      [
        'a blank name',
        { client_name: '   ', scopes: [] },
        [{ pointer: '#/client_name', detail: 'must be a non-empty string' }],
      ],
      [
        'a 201-character name',
        { client_name: 'n'.repeat(201), scopes: [] },
        [{ pointer: '#/client_name', detail: 'must be at most 200 characters' }],
      ],
      [
        'missing scopes',
        { client_name: 'x' },
        [
          { pointer: '#/scopes', detail: 'each value in scopes must be a string' },
          { pointer: '#/scopes', detail: 'scopes must be an array' },
        ],
      ],
      [
        'scopes as a string',
        { client_name: 'x', scopes: 'reports:read' },
        [{ pointer: '#/scopes', detail: 'scopes must be an array' }],
      ],
      [
        'a scope with a space',
        { client_name: 'x', scopes: ['reports read'] },
        [
          {
            pointer: '#/scopes/0',
            detail:
              'must be a scope token: 1 to 128 printable ASCII characters without spaces, quotes or backslashes',
          },
        ],
      ],
      [
        'duplicate scopes',
        { client_name: 'x', scopes: ['a', 'a'] },
        [{ pointer: '#/scopes/1', detail: 'duplicates "a"' }],
      ],
      [
        'an unknown member',
        { client_nam: 'x', client_name: 'x', scopes: [] },
        [{ pointer: '#/client_nam', detail: 'property client_nam should not exist' }],
      ],
      [
        'metadata as an array',
        { client_name: 'x', scopes: [], metadata: ['a'] },
        [{ pointer: '#/metadata', detail: 'metadata must be an object' }],
      ],
      [
        'a nested metadata value',
        { client_name: 'x', scopes: [], metadata: { a: { b: 1 } } },
        [
          {
            pointer: '#/metadata/a',
            detail: 'must be a string, a finite number, a boolean or null',
          },
        ],
      ],
      [
        'metadata over 4096 bytes',
        { client_name: 'x', scopes: [], metadata: { big: 'x'.repeat(4100) } },
        [{ pointer: '#/metadata', detail: 'must be at most 4096 bytes as JSON; it is 4110' }],
      ],
      [
        'expires_at not a date',
        { client_name: 'x', scopes: [], expires_at: 'tomorrow' },
        [{ pointer: '#/expires_at', detail: 'expires_at must be a valid ISO 8601 date string' }],
      ],
      [
        'expires_at in the past',
        { client_name: 'x', scopes: [], expires_at: '2020-01-01T00:00:00Z' },
        [{ pointer: '#/expires_at', detail: 'must be at least 60 seconds in the future' }],
      ],
    ])('%s', async (_name, body, errors) => {
      const before = await countClients();
      const response = await admin().post('/m2m/clients').send(body);
      expectProblem(response, 400, validationProblem(errors));
      expect(await countClients()).toBe(before);
    });

    it('refuses metadata keys that reach a prototype, naming each; stores the others', async () => {
      const before = await countClients();
      // Raw JSON: an object literal in code would not hold `__proto__` as a member.
      const response = await admin()
        .post('/m2m/clients')
        .set('Content-Type', 'application/json')
        .send(
          '{"client_name":"x","scopes":[],"metadata":{"__proto__":"a","constructor":"b","prototype":"c","plan":"d"}}',
        );
      expectProblem(
        response,
        400,
        validationProblem([
          { pointer: '#/metadata/__proto__', detail: 'is a reserved key' },
          { pointer: '#/metadata/constructor', detail: 'is a reserved key' },
          { pointer: '#/metadata/prototype', detail: 'is a reserved key' },
        ]),
      );
      expect(await countClients()).toBe(before);
      const stored = await create({
        client_name: 'x',
        scopes: [],
        metadata: { toString: 'a', valueOf: 'b', hasOwnProperty: 'c' },
      });
      const fetched = (await admin().get(`/m2m/clients/${stored.client_id}`)).body as ClientBody;
      expect(fetched.metadata).toEqual({ toString: 'a', valueOf: 'b', hasOwnProperty: 'c' });
    });

    it.each([
      ['an ESC sequence', 'job\u001b[2J'],
      ['a carriage return', 'job\rforged'],
      ['a NUL byte', 'job\u0000'],
      ['a C1 control', 'job\u0085'],
    ])('refuses a name with %s (names are shown in terminals)', async (_name, clientName) => {
      const response = await admin()
        .post('/m2m/clients')
        .send({ client_name: clientName, scopes: [] });
      expectProblem(
        response,
        400,
        validationProblem([
          { pointer: '#/client_name', detail: 'must not contain control characters' },
        ]),
      );
    });

    it('keeps tab and line feed in a description, refuses other control characters', async () => {
      const created = await create({ client_name: 'x', scopes: [], description: 'a\tb\nc' });
      expect(created.description).toBe('a\tb\nc');
      const refused = await admin()
        .post('/m2m/clients')
        .send({ client_name: 'x', scopes: [], description: 'a\u0000b' });
      expectProblem(
        refused,
        400,
        validationProblem([
          {
            pointer: '#/description',
            detail: 'must not contain control characters other than tab and line feed',
          },
        ]),
      );
    });

    it('a path that is not valid percent-encoding: a problem', async () => {
      const response = await admin().get('/m2m/clients/%ZZ');
      expectProblem(response, 400, {
        type: 'about:blank',
        title: 'Bad Request',
        status: 400,
        detail: 'The request path is not valid percent-encoding.',
      });
    });

    it('a form body with more than 100 parameters: a 400 problem that says so', async () => {
      const body = Array.from({ length: 150 }, (_, i) => `p${i}=x`).join('&');
      const response = await admin().post('/m2m/clients').type('form').send(body);
      expectProblem(response, 400, {
        type: 'about:blank',
        title: 'Bad Request',
        status: 400,
        detail: 'The request has too many parameters.',
      });
    });

    it('malformed JSON: a problem, not an HTML page or a stack trace', async () => {
      const response = await admin()
        .post('/m2m/clients')
        .set('Content-Type', 'application/json')
        .send('{"client_name":');
      expectProblem(response, 400, {
        type: 'about:blank',
        title: 'Bad Request',
        status: 400,
        detail: 'The request body cannot be parsed.',
      });
    });

    it('a JSON array body', async () => {
      const response = await admin()
        .post('/m2m/clients')
        .send([{ client_name: 'x', scopes: [] }]);
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toBe(PROBLEM);
    });

    it('PATCH with an unknown status', async () => {
      const created = await create({ client_name: 'status', scopes: [] });
      const response = await admin()
        .patch(`/m2m/clients/${created.client_id}`)
        .send({ status: 'paused' });
      expectProblem(
        response,
        400,
        validationProblem([
          {
            pointer: '#/status',
            detail: 'status must be one of the following values: active, disabled',
          },
        ]),
      );
    });
  });

  describe('list', () => {
    let ids: string[];

    beforeAll(async () => {
      ids = [];
      for (let i = 0; i < 5; i++)
        ids.push((await create({ client_name: `page-${i}`, scopes: [] })).client_id);
    });

    it('returns {data, next_cursor} with clients, newest first, without secrets', async () => {
      const response = await admin().get('/m2m/clients?limit=100');
      expect(response.status).toBe(200);
      expect(Object.keys(response.body as object).sort()).toEqual(['data', 'next_cursor']);
      const body = response.body as { data: ClientBody[]; next_cursor: string | null };
      expect(body.next_cursor).toBeNull();
      expect(body.data.map((c) => Object.keys(c).sort())).toEqual(body.data.map(() => CLIENT_KEYS));
      const created = body.data.map((c) => c.created_at);
      expect([...created].sort().reverse()).toEqual(created);
    });

    it('pages with a cursor, visiting every client exactly once', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = `/m2m/clients?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const page = (await admin().get(query)).body as {
          data: ClientBody[];
          next_cursor: string | null;
        };
        expect(page.data.length).toBeLessThanOrEqual(2);
        seen.push(...page.data.map((c) => c.client_id));
        cursor = page.next_cursor;
        pages += 1;
      } while (cursor !== null && pages < 100);
      const total = await countClients();
      expect(seen).toHaveLength(total);
      expect(new Set(seen).size).toBe(total);
      expect(seen.slice(0, 5)).toEqual([...ids].reverse());
    });

    it('filters by status', async () => {
      await admin().patch(`/m2m/clients/${ids[0]}`).send({ status: 'disabled' });
      const body = (await admin().get('/m2m/clients?status=disabled&limit=100')).body as {
        data: ClientBody[];
      };
      expect(body.data.map((c) => c.client_id)).toContain(ids[0]);
      expect(body.data.every((c) => c.status === 'disabled')).toBe(true);
    });

    it.each([
      ['limit=0', [{ pointer: '#/limit', detail: 'must be an integer from 1 to 100' }]],
      ['limit=101', [{ pointer: '#/limit', detail: 'must be an integer from 1 to 100' }]],
      ['limit=abc', [{ pointer: '#/limit', detail: 'limit must be an integer number' }]],
      ['cursor=bogus!', [{ pointer: '#/cursor', detail: 'is not a cursor returned by this API' }]],
      [
        'status=paused',
        [
          {
            pointer: '#/status',
            detail: 'status must be one of the following values: active, disabled',
          },
        ],
      ],
    ])('rejects %s', async (query, errors) => {
      expectProblem(await admin().get(`/m2m/clients?${query}`), 400, validationProblem(errors));
    });
  });

  describe('get, update, delete', () => {
    it('GET an unknown client: 404 client-not-found', async () => {
      expectProblem(await admin().get('/m2m/clients/m2mc_nope'), 404, {
        type: 'urn:m2m:problem:client-not-found',
        title: 'Client not found',
        status: 404,
        detail: 'No client with id "m2mc_nope".',
      });
    });

    it('PATCH changes only the fields given and bumps updated_at', async () => {
      const created = await create({
        client_name: 'before',
        scopes: ['reports:read'],
        metadata: { a: 1 },
      });
      await new Promise((resolve) => setTimeout(resolve, 5));
      const response = await admin()
        .patch(`/m2m/clients/${created.client_id}`)
        .send({ client_name: 'after' });
      expect(response.status).toBe(200);
      const updated = response.body as ClientBody;
      expect(updated).toEqual({
        ...created,
        client_secret: undefined,
        client_name: 'after',
        updated_at: updated.updated_at,
      } as unknown as ClientBody);
      expect(updated.updated_at > created.updated_at).toBe(true);
    });

    it('PATCH {"status":"disabled"} stops the client at the token endpoint; active restores it', async () => {
      const created = await create({ client_name: 'toggle', scopes: ['reports:read'] });
      expect(
        (await admin().patch(`/m2m/clients/${created.client_id}`).send({ status: 'disabled' }))
          .body,
      ).toMatchObject({
        status: 'disabled',
      });
      expect(await tokenStatus(created.client_id, created.client_secret!)).toBe(401);
      await admin().patch(`/m2m/clients/${created.client_id}`).send({ status: 'active' });
      expect(await tokenStatus(created.client_id, created.client_secret!)).toBe(200);
    });

    it('PATCH can clear description and metadata with null', async () => {
      const created = await create({
        client_name: 'clear',
        scopes: [],
        description: 'd',
        metadata: { a: 'b' },
      });
      const response = await admin()
        .patch(`/m2m/clients/${created.client_id}`)
        .send({ description: null, metadata: null });
      expect(response.body).toMatchObject({ description: null, metadata: null });
    });

    it('PATCH an unknown client: 404', async () => {
      expect(
        (await admin().patch('/m2m/clients/m2mc_nope').send({ client_name: 'x' })).status,
      ).toBe(404);
    });

    it('DELETE: 204 with no body, then 404, and the credentials stop working', async () => {
      const created = await create({ client_name: 'gone', scopes: ['reports:read'] });
      const response = await admin().delete(`/m2m/clients/${created.client_id}`);
      expect(response.status).toBe(204);
      expect(response.text).toBe('');
      expect((await admin().get(`/m2m/clients/${created.client_id}`)).status).toBe(404);
      expect((await admin().delete(`/m2m/clients/${created.client_id}`)).status).toBe(404);
      expect(await tokenStatus(created.client_id, created.client_secret!)).toBe(401);
    });
  });

  describe('OpenAPI', () => {
    it('documents the admin API with the m2m security scheme, 401 and 403', async () => {
      const response = await server.http().get('/docs-json');
      expect(response.status).toBe(200);
      const doc = response.body as {
        openapi: string;
        paths: Record<
          string,
          Record<string, { security?: object[]; responses: Record<string, unknown> }>
        >;
        components: { securitySchemes: Record<string, unknown> };
      };
      expect(doc.openapi).toMatch(/^3\./);
      expect(Object.keys(doc.paths['/m2m/clients']!).sort()).toEqual(['get', 'post']);
      expect(Object.keys(doc.paths['/m2m/clients/{client_id}']!).sort()).toEqual([
        'delete',
        'get',
        'patch',
      ]);
      for (const operation of [
        ...Object.values(doc.paths['/m2m/clients']!),
        ...Object.values(doc.paths['/m2m/clients/{client_id}']!),
      ]) {
        expect(operation.security).toEqual([{ m2m: ['m2m:admin'] }]);
        expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['401', '403']));
      }
      expect(doc.paths['/demo/reports']!['post']!.security).toEqual([{ m2m: ['reports:write'] }]);
      // The scheme itself, with every scope: test/openapi.e2e-spec.ts.
      expect(Object.keys(doc.components.securitySchemes)).toEqual(['m2m']);
    });

    it('serves Swagger UI at /docs', async () => {
      const response = await server.http().get('/docs');
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
    });
  });

  it('GET /health reports the database', async () => {
    const response = await server.http().get('/health');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok', checks: { database: 'up' } });
  });
});
