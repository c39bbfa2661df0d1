import { decodeJwt } from 'jose';
import type { Response } from 'supertest';
import { basic, startServer, type TestServer } from './support/server.js';
import { withSecret } from './support/server.js';

const ORDERS = 'https://orders.example.test';
const BILLING = 'https://billing.example.test';

describe('audiences and resource indicators (RFC 8707)', () => {
  let server: TestServer;
  let client: { clientId: string; clientSecret: string };

  beforeAll(async () => {
    server = await startServer({
      m2m: {
        resources: { [ORDERS]: ['orders:read', 'orders:write'], [BILLING]: ['billing:read'] },
      },
    });
    client = withSecret(
      await server.clients.create({
        clientName: 'multi',
        scopes: ['orders:read', 'billing:read', 'reports:read'],
        audiences: [ORDERS, BILLING],
      }),
    );
  });

  afterAll(async () => {
    await server.close();
    await server.database.drop();
  });

  const token = (params: Record<string, string> | string, who = client) =>
    server
      .http()
      .post('/oauth2/token')
      .set('Authorization', basic(who.clientId, who.clientSecret))
      .type('form')
      .send(typeof params === 'string' ? params : { grant_type: 'client_credentials', ...params });
  const invalidTarget = (response: Response, description: string) => {
    expect(response.status).toBe(400);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).toEqual({ error: 'invalid_target', error_description: description });
  };

  it('resource selects the audience: aud is exactly that resource, with only its scopes', async () => {
    const response = await token({ resource: ORDERS });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ scope: 'orders:read' });
    const claims = decodeJwt((response.body as { access_token: string }).access_token);
    expect([claims.aud, claims.scope]).toEqual([ORDERS, 'orders:read']);
  });

  it('audience is an alias of resource', async () => {
    const response = await token({ audience: BILLING });
    expect(decodeJwt((response.body as { access_token: string }).access_token)).toMatchObject({
      aud: BILLING,
      scope: 'billing:read',
    });
  });

  it('a token for one API never carries another API’s scopes', async () => {
    const response = await token({ resource: ORDERS, scope: 'orders:read billing:read' });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'invalid_scope' });
  });

  it('without a resource: the default audience and the scopes that belong to no resource', async () => {
    const response = await token({});
    const claims = decodeJwt((response.body as { access_token: string }).access_token);
    expect([claims.aud, claims.scope]).toEqual([server.url, 'reports:read']);
  });

  it.each(['resource', 'audience'])(
    'the default audience as the %s (as MCP clients always send one): accepted, aud exactly that, the same scopes as without',
    async (parameter) => {
      const response = await token({ [parameter]: server.url });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ scope: 'reports:read' });
      const claims = decodeJwt((response.body as { access_token: string }).access_token);
      expect([claims.aud, claims.scope]).toEqual([server.url, 'reports:read']);
      // The token works on the example server's own guarded routes.
      const guarded = await server
        .http()
        .get('/demo/reports')
        .set('Authorization', `Bearer ${(response.body as { access_token: string }).access_token}`);
      expect(guarded.status).toBe(200);
    },
  );

  it('a client without any audience may still name the default audience', async () => {
    const plain = withSecret(
      await server.clients.create({ clientName: 'plain', scopes: ['reports:read'] }),
    );
    const response = await token({ resource: server.url, scope: 'reports:read' }, plain);
    expect(response.status).toBe(200);
    expect(decodeJwt((response.body as { access_token: string }).access_token).aud).toBe(
      server.url,
    );
  });

  it('the default audience spelled with a trailing slash or an upper-case scheme is the same URI (RFC 3986 §6.2): aud as configured', async () => {
    for (const spelling of [`${server.url}/`, server.url.replace('http://', 'HTTP://')]) {
      const response = await token({ resource: spelling });
      expect(response.status).toBe(200);
      expect(decodeJwt((response.body as { access_token: string }).access_token).aud).toBe(
        server.url,
      );
    }
    // A different path is a different resource.
    invalidTarget(
      await token({ resource: `${server.url}/other` }),
      'The requested resource is unknown or not allowed for this client.',
    );
  });

  it('an unknown resource, or one the client is not allowed: invalid_target', async () => {
    invalidTarget(
      await token({ resource: 'https://unknown.example.test' }),
      'The requested resource is unknown or not allowed for this client.',
    );
    const limited = withSecret(
      await server.clients.create({
        clientName: 'orders-only',
        scopes: ['billing:read'],
        audiences: [ORDERS],
      }),
    );
    invalidTarget(
      await token({ resource: BILLING }, limited),
      'The requested resource is unknown or not allowed for this client.',
    );
  });

  it('several resources in one request: invalid_target', async () => {
    invalidTarget(
      await token(
        `grant_type=client_credentials&resource=${encodeURIComponent(ORDERS)}&resource=${encodeURIComponent(BILLING)}`,
      ),
      'Only one resource may be requested per token.',
    );
    invalidTarget(
      await token({ resource: ORDERS, audience: BILLING }),
      'Only one resource may be requested per token.',
    );
  });

  it('the authorization server’s own guard accepts only its own audience', async () => {
    const response = await token({ resource: ORDERS });
    const orders = (response.body as { access_token: string }).access_token;
    const call = await server.http().get('/demo/whoami').set('Authorization', `Bearer ${orders}`);
    expect(call.status).toBe(401);
  });

  it('introspection reports tokens of every audience', async () => {
    const gateway = withSecret(
      await server.clients.create({ clientName: 'gw', scopes: ['m2m:introspect'] }),
    );
    const orders = ((await token({ resource: ORDERS })).body as { access_token: string })
      .access_token;
    const response = await server
      .http()
      .post('/oauth2/introspect')
      .set('Authorization', basic(gateway.clientId, gateway.clientSecret))
      .type('form')
      .send({ token: orders });
    expect(response.body).toMatchObject({ active: true, aud: ORDERS, scope: 'orders:read' });
  });

  it('the admin API validates audiences against the configured resources', async () => {
    const admin = withSecret(
      await server.clients.create({ clientName: 'admin', scopes: ['m2m:admin'] }),
    );
    const adminToken = ((await token({}, admin)).body as { access_token: string }).access_token;
    const response = await server
      .http()
      .post('/m2m/clients')
      .set('Authorization', `Bearer ${adminToken}`)
      .send({ client_name: 'x', scopes: [], audiences: [ORDERS, 'https://nope.example.test'] });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      errors: [
        {
          pointer: '#/audiences/1',
          detail: 'must be one of the resources this server is configured with',
        },
      ],
    });
    const created = await server
      .http()
      .post('/m2m/clients')
      .set('Authorization', `Bearer ${adminToken}`)
      .send({ client_name: 'x', scopes: ['orders:write'], audiences: [ORDERS] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ audiences: [ORDERS] });
  });
});
