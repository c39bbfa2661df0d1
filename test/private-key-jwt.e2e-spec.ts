import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oauth from 'oauth4webapi';
import { createClient, getToken, startServer, type TestServer } from './support/server.js';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const INVALID_CLIENT = {
  error: 'invalid_client',
  error_description: 'Client authentication failed.',
};

async function keyPair(kid: string): Promise<{ privateKey: CryptoKey; publicJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return {
    privateKey,
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' },
  };
}

describe('private_key_jwt client authentication (RFC 7523)', () => {
  let server: TestServer;
  let adminToken: string;
  let key: { privateKey: CryptoKey; publicJwk: JWK };
  let clientId: string;
  let jwksHost: Server;
  let jwksUrl: string;
  let hostedKey: { privateKey: CryptoKey; publicJwk: JWK };

  beforeAll(async () => {
    server = await startServer();
    adminToken = await getToken(server, await createClient(server, ['m2m:admin'], 'admin'));
    key = await keyPair('k1');
    hostedKey = await keyPair('hosted-1');
    jwksHost = createServer((_req, res) => {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ keys: [hostedKey.publicJwk] }));
    });
    await new Promise<void>((resolve) => jwksHost.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(jwksHost.address() as AddressInfo).port}/jwks.json`;
    const created = await register({ jwks: { keys: [key.publicJwk] } });
    expect(created.status).toBe(201);
    clientId = (created.body as { client_id: string }).client_id;
  });

  afterAll(async () => {
    await new Promise((resolve) => jwksHost.close(resolve));
    await server.close();
    await server.database.drop();
  });

  function register(body: object) {
    return server
      .http()
      .post('/m2m/clients')
      .set('Authorization', `Bearer ${adminToken}`)
      .send({
        client_name: 'signer',
        scopes: ['reports:read'],
        token_endpoint_auth_method: 'private_key_jwt',
        ...body,
      });
  }

  /** A well-formed assertion; `claims` override any default claim. */
  function assertion(
    claims: Record<string, unknown> = {},
    signWith = key,
    id = clientId,
  ): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      iss: id,
      sub: id,
      aud: server.url,
      iat: now,
      exp: now + 60,
      jti: randomUUID(),
      ...claims,
    })
      .setProtectedHeader({ alg: 'ES256', kid: signWith.publicJwk.kid! })
      .sign(signWith.privateKey);
  }

  const tokenWith = (jwt: string, extra: Record<string, string> = {}) =>
    server
      .http()
      .post('/oauth2/token')
      .type('form')
      .send({
        grant_type: 'client_credentials',
        client_assertion_type: JWT_BEARER,
        client_assertion: jwt,
        ...extra,
      });

  it('registers a client without a secret, showing its keys', async () => {
    const response = await server
      .http()
      .get(`/m2m/clients/${clientId}`)
      .set('Authorization', `Bearer ${adminToken}`);
    expect(response.body).toMatchObject({
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [key.publicJwk] },
      jwks_uri: null,
      secret_hint: '',
    });
    const created = await register({ jwks: { keys: [key.publicJwk] } });
    expect((created.body as { client_secret: unknown }).client_secret).toBeNull();
  });

  it('gets a token with a signed assertion, and the token works', async () => {
    const response = await tokenWith(await assertion());
    expect(response.status).toBe(200);
    const token = (response.body as { access_token: string }).access_token;
    expect(
      (await server.http().get('/demo/reports').set('Authorization', `Bearer ${token}`)).status,
    ).toBe(200);
  });

  it('accepts a matching client_id parameter beside the assertion', async () => {
    expect((await tokenWith(await assertion(), { client_id: clientId })).status).toBe(200);
  });

  it.each([
    ['a replayed assertion (same jti)', async (jwt: string) => jwt],
    ['another audience', async () => assertion({ aud: 'https://elsewhere.example' })],
    // draft-ietf-oauth-rfc7523bis: the issuer identifier, alone and as a string.
    [
      'the token endpoint URL as audience',
      async () => assertion({ aud: `${server.url}/oauth2/token` }),
    ],
    [
      'the introspection URL as audience',
      async () => assertion({ aud: `${server.url}/oauth2/introspect` }),
    ],
    ['the issuer inside an array', async () => assertion({ aud: [server.url] })],
    [
      'the issuer beside another audience',
      async () => assertion({ aud: ['https://other.example', server.url] }),
    ],
    ['a jti with a control character', async () => assertion({ jti: 'a\u0000b' })],
    [
      'a lifetime over five minutes',
      async () => assertion({ exp: Math.floor(Date.now() / 1000) + 3600 }),
    ],
    ['an expired assertion', async () => assertion({ exp: Math.floor(Date.now() / 1000) - 60 })],
    ['a key the client did not register', async () => assertion({}, await keyPair('k1'))],
    ['an unknown client', async () => assertion({}, key, 'm2mc_unknown')],
    [
      'no jti',
      async () => {
        const now = Math.floor(Date.now() / 1000);
        return new SignJWT({})
          .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
          .setIssuer(clientId)
          .setSubject(clientId)
          .setAudience(server.url)
          .setIssuedAt(now)
          .setExpirationTime(now + 60)
          .sign(key.privateKey);
      },
    ],
  ])('refuses %s with the same invalid_client', async (_name, make) => {
    const first = await assertion();
    if (_name.startsWith('a replayed')) expect((await tokenWith(first)).status).toBe(200);
    const response = await tokenWith(await make(first));
    expect(response.status).toBe(401);
    expect(response.body).toEqual(INVALID_CLIENT);
    expect(response.headers['www-authenticate']).toBeUndefined();
  });

  it('refuses a client_id that is not the assertion’s issuer', async () => {
    const response = await tokenWith(await assertion(), { client_id: 'm2mc_someoneelse' });
    expect([response.status, response.body]).toEqual([401, INVALID_CLIENT]);
  });

  it('refuses mixed or malformed authentication with invalid_request', async () => {
    const jwt = await assertion();
    const mixed = await tokenWith(jwt, { client_secret: 'm2ms_x' });
    expect([mixed.status, mixed.body]).toEqual([
      400,
      {
        error: 'invalid_request',
        error_description: 'The client must use only one authentication method.',
      },
    ]);
    const wrongType = await server.http().post('/oauth2/token').type('form').send({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:example:saml',
      client_assertion: jwt,
    });
    expect(wrongType.body).toEqual({
      error: 'invalid_request',
      error_description: `The client_assertion_type must be ${JWT_BEARER}.`,
    });
  });

  it('a private_key_jwt client has no secret to present or rotate', async () => {
    const response = await server
      .http()
      .post(`/m2m/clients/${clientId}/secrets/rotation`)
      .set('Authorization', `Bearer ${adminToken}`);
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ type: 'urn:m2m:problem:no-secret' });
  });

  it('fetches keys from a registered jwks_uri', async () => {
    const created = await register({ jwks_uri: jwksUrl });
    expect(created.status).toBe(201);
    const id = (created.body as { client_id: string }).client_id;
    const response = await tokenWith(await assertion({}, hostedKey, id));
    expect(response.status).toBe(200);
  });

  it('validates the keys: public only, a JWKS or a URL, not both', async () => {
    const privateJwk = {
      ...(await exportJWK((await generateKeyPair('ES256', { extractable: true })).privateKey)),
    };
    const leaked = await register({ jwks: { keys: [privateJwk] } });
    expect(leaked.status).toBe(400);
    expect(leaked.body).toMatchObject({
      errors: [
        {
          pointer: '#/jwks/keys/0',
          detail: 'must be a public key: it contains private key material',
        },
      ],
    });
    const both = await register({ jwks: { keys: [key.publicJwk] }, jwks_uri: jwksUrl });
    expect(both.body).toMatchObject({
      errors: [
        { pointer: '#/jwks', detail: 'give exactly one of jwks and jwks_uri for private_key_jwt' },
      ],
    });
    const none = await register({});
    expect(none.status).toBe(400);
  });

  it('interoperates with an off-the-shelf client (oauth4webapi PrivateKeyJwt)', async () => {
    const issuer = new URL(server.url);
    const as = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, {
        algorithm: 'oauth2',
        [oauth.allowInsecureRequests]: true,
      }),
    );
    expect(as.token_endpoint_auth_methods_supported).toContain('private_key_jwt');
    const response = await oauth.clientCredentialsGrantRequest(
      as,
      { client_id: clientId },
      oauth.PrivateKeyJwt({ key: key.privateKey, kid: 'k1' }),
      new URLSearchParams({ scope: 'reports:read' }),
      { [oauth.allowInsecureRequests]: true },
    );
    const result = await oauth.processClientCredentialsResponse(
      as,
      { client_id: clientId },
      response,
    );
    expect(result.scope).toBe('reports:read');
    const call = await server
      .http()
      .get('/demo/reports')
      .set('Authorization', `Bearer ${result.access_token}`);
    expect(call.status).toBe(200);
  });
});
