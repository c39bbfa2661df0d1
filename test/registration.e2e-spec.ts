import { randomBytes } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import { basic, startServer, type TestServer } from './support/server.js';

const INITIAL = randomBytes(32).toString('base64url');

describe('dynamic client registration (RFC 7591 / 7592)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({
      m2m: {
        dynamicRegistration: {
          initialAccessTokens: [INITIAL],
          scopes: ['reports:read', 'reports:write'],
        },
      },
    });
  });

  afterAll(async () => {
    await server.close();
    await server.database.drop();
  });

  const register = (body: object, token: string | null = INITIAL) => {
    const request = server.http().post('/oauth2/register').send(body);
    return token === null ? request : request.set('Authorization', `Bearer ${token}`);
  };

  it('is advertised in the metadata', async () => {
    const metadata = (await server.http().get('/.well-known/oauth-authorization-server'))
      .body as Record<string, unknown>;
    expect(metadata['registration_endpoint']).toBe(`${server.url}/oauth2/register`);
  });

  it('registers a client with the initial access token: server-assigned id, secret once, management token', async () => {
    const response = await register({
      client_name: 'partner',
      scope: 'reports:read',
      client_id: 'chosen-by-me',
    });
    expect(response.status).toBe(201);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.body as Record<string, unknown>;
    expect(body).toMatchObject({
      client_name: 'partner',
      scope: 'reports:read',
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'client_secret_basic',
      client_secret_expires_at: 0,
    });
    expect(body['client_id']).not.toBe('chosen-by-me');
    expect(body['client_id']).toMatch(/^m2mc_/);
    expect(body['registration_client_uri']).toBe(
      `${server.url}/oauth2/register/${String(body['client_id'])}`,
    );
    expect(body['registration_access_token']).toMatch(/^m2mr_[A-Za-z0-9_-]{43}$/);

    const token = await server
      .http()
      .post('/oauth2/token')
      .set('Authorization', basic(String(body['client_id']), String(body['client_secret'])))
      .type('form')
      .send({ grant_type: 'client_credentials' });
    expect(token.status).toBe(200);
  });

  it('refuses a registration without a valid initial access token (RFC 6750 §3.1 challenges)', async () => {
    const without = await register({ client_name: 'x' }, null);
    // No token at all: a challenge without an error code.
    expect([without.status, without.headers['www-authenticate']]).toEqual([
      401,
      'Bearer realm="m2m"',
    ]);
    const wrong = await register({ client_name: 'x' }, 'not-the-token');
    expect(wrong.status).toBe(401);
    expect(wrong.headers['www-authenticate']).toContain('error="invalid_token"');
    const malformed = await server
      .http()
      .post('/oauth2/register')
      .set('Authorization', 'Bearer a b')
      .send({ client_name: 'x' });
    expect(malformed.status).toBe(400);
    expect(malformed.headers['www-authenticate']).toContain('error="invalid_request"');
  });

  it.each([
    [{ scope: 'm2m:admin' }, 'scopes/0: "m2m:admin" is not a scope you may grant'],
    [
      { grant_types: ['authorization_code'] },
      'Only the client_credentials grant type can be registered.',
    ],
    [
      { response_types: ['code'] },
      'No response types can be registered: this server has no authorization endpoint.',
    ],
    [
      { token_endpoint_auth_method: 'none' },
      'token_endpoint_auth_method must be client_secret_basic, client_secret_post or private_key_jwt.',
    ],
    [{ client_name: 'x'.repeat(201) }, 'client_name: must be at most 200 characters'],
  ])('rejects bad metadata %j with invalid_client_metadata', async (body, description) => {
    const response = await register(body);
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: 'invalid_client_metadata',
      error_description: description,
    });
  });

  it('the registration access token reads, updates and deletes that client only', async () => {
    const first = (await register({ client_name: 'managed', scope: 'reports:read' }))
      .body as Record<string, string>;
    const other = (await register({ client_name: 'other' })).body as Record<string, string>;
    const uri = `/oauth2/register/${first['client_id']}`;
    const auth = `Bearer ${first['registration_access_token']}`;

    const read = await server.http().get(uri).set('Authorization', auth);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      client_id: first['client_id'],
      client_name: 'managed',
      scope: 'reports:read',
    });
    expect(read.body).not.toHaveProperty('client_secret');

    const foreign = await server
      .http()
      .get(uri)
      .set('Authorization', `Bearer ${other['registration_access_token']}`);
    expect(foreign.status).toBe(401);

    const updated = await server.http().put(uri).set('Authorization', auth).send({
      client_id: first['client_id'],
      client_name: 'renamed',
      scope: 'reports:read reports:write',
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      client_name: 'renamed',
      scope: 'reports:read reports:write',
    });

    const deleted = await server.http().delete(uri).set('Authorization', auth);
    expect(deleted.status).toBe(204);
    expect((await server.http().get(uri).set('Authorization', auth)).status).toBe(401);
  });

  it('works with an off-the-shelf client (oauth4webapi dynamic registration)', async () => {
    const issuer = new URL(server.url);
    const as = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, {
        algorithm: 'oauth2',
        [oauth.allowInsecureRequests]: true,
      }),
    );
    const response = await oauth.dynamicClientRegistrationRequest(
      as,
      {
        client_name: 'via-library',
        scope: 'reports:write',
        grant_types: ['client_credentials'],
        response_types: [],
      },
      { initialAccessToken: INITIAL, [oauth.allowInsecureRequests]: true },
    );
    const client = await oauth.processDynamicClientRegistrationResponse(response);
    expect(client).toMatchObject({ client_name: 'via-library', scope: 'reports:write' });
  });

  it('is off by default: 404', async () => {
    const plain = await startServer();
    try {
      const response = await plain
        .http()
        .post('/oauth2/register')
        .set('Authorization', `Bearer ${INITIAL}`)
        .send({});
      expect(response.status).toBe(404);
      const metadata = (await plain.http().get('/.well-known/oauth-authorization-server'))
        .body as object;
      expect(metadata).not.toHaveProperty('registration_endpoint');
    } finally {
      await plain.close();
      await plain.database.drop();
    }
  });
});
