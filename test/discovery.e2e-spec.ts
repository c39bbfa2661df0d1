import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import * as oauth from 'oauth4webapi';
import { M2M_SIGNING_ALGORITHMS, SigningKeysService } from 'nestjs-m2m';
import { createClient, getToken, startServer, type TestServer } from './support/server.js';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];

describe('metadata and JWKS', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });

  afterAll(async () => {
    await server.close();
    await server.database.drop();
  });

  it('publishes RFC 8414 metadata from which clients discover every URL', async () => {
    const response = await server.http().get('/.well-known/oauth-authorization-server');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.body).toEqual({
      issuer: server.url,
      token_endpoint: `${server.url}/oauth2/token`,
      jwks_uri: `${server.url}/.well-known/jwks.json`,
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: [
        'client_secret_basic',
        'client_secret_post',
        'private_key_jwt',
      ],
      token_endpoint_auth_signing_alg_values_supported: ['ES256', 'EdDSA', 'RS256', 'PS256'],
      response_types_supported: [],
      scopes_supported: ['m2m:admin', 'm2m:introspect', 'reports:read', 'reports:write'],
      introspection_endpoint: `${server.url}/oauth2/introspect`,
      introspection_endpoint_auth_methods_supported: [
        'client_secret_basic',
        'client_secret_post',
        'private_key_jwt',
      ],
      revocation_endpoint: `${server.url}/oauth2/revoke`,
      revocation_endpoint_auth_methods_supported: [
        'client_secret_basic',
        'client_secret_post',
        'private_key_jwt',
      ],
    });
  });

  it('publishes public keys only (the active key and the next one), each with kid, alg and use', async () => {
    const response = await server.http().get('/.well-known/jwks.json');
    expect(response.status).toBe(200);
    const { keys } = response.body as JSONWebKeySet;
    expect(keys).toHaveLength(2);
    expect(new Set(keys.map((key) => key.kid)).size).toBe(2);
    for (const key of keys) {
      expect(Object.keys(key).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
      expect([key.kty, key.crv, key.alg, key.use]).toEqual(['EC', 'P-256', 'ES256', 'sig']);
      for (const member of PRIVATE_MEMBERS) expect(key).not.toHaveProperty(member);
    }
  });

  it('issues tokens that verify against the JWKS with iss, aud and typ pinned', async () => {
    const client = await createClient(server, ['reports:read']);
    const token = await getToken(server, client);
    const jwks = createLocalJWKSet(
      (await server.http().get('/.well-known/jwks.json')).body as JSONWebKeySet,
    );
    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      issuer: server.url,
      audience: server.url,
      typ: 'at+jwt',
      algorithms: ['ES256'],
    });
    expect(payload.client_id).toBe(client.clientId);
    expect(protectedHeader.kid).toBe(server.app.get(SigningKeysService).activeKey().kid);
  });
});

describe('interoperability with an off-the-shelf OAuth client (oauth4webapi)', () => {
  let server: TestServer;
  let as: oauth.AuthorizationServer;
  let reporter: { clientId: string; clientSecret: string };

  beforeAll(async () => {
    server = await startServer();
    const issuer = new URL(server.url);
    // The test server speaks plain http on loopback.
    const discovery = await oauth.discoveryRequest(issuer, {
      algorithm: 'oauth2',
      [oauth.allowInsecureRequests]: true,
    });
    as = await oauth.processDiscoveryResponse(issuer, discovery);
    reporter = await createClient(server, ['reports:read']);
  });

  afterAll(async () => {
    await server.close();
    await server.database.drop();
  });

  it('discovers the token endpoint', () => {
    expect(as.token_endpoint).toBe(`${server.url}/oauth2/token`);
  });

  it.each([
    ['client_secret_basic', (secret: string) => oauth.ClientSecretBasic(secret)],
    ['client_secret_post', (secret: string) => oauth.ClientSecretPost(secret)],
  ])('gets a token with %s and calls the API with it', async (_method, auth) => {
    const response = await oauth.clientCredentialsGrantRequest(
      as,
      { client_id: reporter.clientId },
      auth(reporter.clientSecret),
      new URLSearchParams({ scope: 'reports:read' }),
      { [oauth.allowInsecureRequests]: true },
    );
    const result = await oauth.processClientCredentialsResponse(
      as,
      { client_id: reporter.clientId },
      response,
    );
    expect(result.token_type).toBe('bearer'); // oauth4webapi normalises the case
    expect(result.expires_in).toBe(3600);
    expect(result.scope).toBe('reports:read');
    expect(result.refresh_token).toBeUndefined();

    const read = await fetch(`${server.url}/demo/reports`, {
      headers: { authorization: `Bearer ${result.access_token}` },
    });
    expect(read.status).toBe(200);
    const write = await fetch(`${server.url}/demo/reports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${result.access_token}` },
    });
    expect(write.status).toBe(403);
    expect(write.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
  });

  it('surfaces invalid_client to the library: a Basic challenge, and the error body', async () => {
    const basicAttempt = await oauth.clientCredentialsGrantRequest(
      as,
      { client_id: reporter.clientId },
      oauth.ClientSecretBasic('wrong'),
      new URLSearchParams(),
      { [oauth.allowInsecureRequests]: true },
    );
    await expect(
      oauth.processClientCredentialsResponse(as, { client_id: reporter.clientId }, basicAttempt),
    ).rejects.toMatchObject({
      name: 'WWWAuthenticateChallengeError',
      status: 401,
      cause: [{ scheme: 'basic', parameters: { realm: 'm2m', charset: 'UTF-8' } }],
    });

    const postAttempt = await oauth.clientCredentialsGrantRequest(
      as,
      { client_id: reporter.clientId },
      oauth.ClientSecretPost('wrong'),
      new URLSearchParams(),
      { [oauth.allowInsecureRequests]: true },
    );
    await expect(
      oauth.processClientCredentialsResponse(as, { client_id: reporter.clientId }, postAttempt),
    ).rejects.toMatchObject({
      name: 'ResponseBodyError',
      status: 401,
      error: 'invalid_client',
      error_description: 'Client authentication failed.',
    });
  });
});

describe.each(M2M_SIGNING_ALGORITHMS.filter((alg) => alg !== 'ES256'))('signing with %s', (alg) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ m2m: { signingAlgorithm: alg } });
  });

  afterAll(async () => {
    await server.close();
    await server.database.drop();
  });

  it('signs tokens with that algorithm and publishes a matching public key', async () => {
    const client = await createClient(server, ['reports:read']);
    const token = await getToken(server, client);
    expect(decodeProtectedHeader(token).alg).toBe(alg);
    const jwks = (await server.http().get('/.well-known/jwks.json')).body as JSONWebKeySet;
    expect(jwks.keys.map((key) => [key.alg, key.use])).toEqual([
      [alg, 'sig'],
      [alg, 'sig'],
    ]);
    for (const key of jwks.keys) {
      for (const member of PRIVATE_MEMBERS) expect(key).not.toHaveProperty(member);
    }
    await expect(
      jwtVerify(token, createLocalJWKSet(jwks), {
        issuer: server.url,
        audience: server.url,
        typ: 'at+jwt',
      }),
    ).resolves.toMatchObject({ payload: { client_id: client.clientId } });
    const call = await server.http().get('/demo/reports').set('Authorization', `Bearer ${token}`);
    expect(call.status).toBe(200);
  });
});
