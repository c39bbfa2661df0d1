import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { AccessTokenError, createAccessTokenVerifier } from 'nestjs-m2m';
import { ResourceServerModule } from '../src/resource-server/resource-server.module.js';
import { createClient, getToken, startServer, type TestServer } from './support/server.js';
import { withSecret } from './support/server.js';
import { signToken, validClaims } from './support/tokens.js';

describe('resource-server mode, against the example authorization server', () => {
  let authServer: TestServer;
  let api: INestApplication;
  let jwksRequests = 0;
  let jwksRelay: Server;

  beforeAll(async () => {
    authServer = await startServer();
    // A counting relay in front of the JWKS, to see how often the resource server fetches it.
    jwksRelay = createServer((_req, res) => {
      jwksRequests += 1;
      void fetch(`${authServer.url}/.well-known/jwks.json`).then(async (upstream) => {
        res
          .writeHead(upstream.status, { 'content-type': 'application/json' })
          .end(await upstream.text());
      });
    });
    await new Promise<void>((resolve) => jwksRelay.listen(0, '127.0.0.1', resolve));
    const { port } = jwksRelay.address() as AddressInfo;
    api = await NestFactory.create(
      ResourceServerModule.forRoot({
        issuer: authServer.url,
        audience: authServer.url,
        jwksUri: `http://127.0.0.1:${port}/jwks.json`,
      }),
      { logger: false },
    );
    await api.init();
  });

  afterAll(async () => {
    await new Promise((resolve) => jwksRelay.close(resolve));
    await api.close();
    await authServer.close();
    await authServer.database.drop();
  });

  const orders = () => request(api.getHttpServer());

  it('accepts a token from the authorization server and injects the principal', async () => {
    const client = withSecret(
      await authServer.clients.create({
        clientName: 'shop',
        scopes: ['orders:read'],
        ownerId: 'org_9',
      }),
    );
    const token = await getToken(authServer, client);
    const response = await orders().get('/orders').set('Authorization', `Bearer ${token}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      data: [{ id: 'o-1001', total: 4200, currency: 'EUR' }],
      client_id: client.clientId,
      owner_id: 'org_9',
    });
  });

  it('gives the same RFC 6750 answers: no token, insufficient scope, invalid token', async () => {
    const token = await getToken(authServer, await createClient(authServer, ['orders:read']));
    const none = await orders().get('/orders');
    expect([none.status, none.headers['www-authenticate']]).toEqual([401, 'Bearer realm="m2m"']);
    const denied = await orders().post('/orders').set('Authorization', `Bearer ${token}`).send({});
    expect(denied.status).toBe(403);
    expect(denied.headers['www-authenticate']).toContain('scope="orders:write"');
    const forged = await signToken(authServer, {
      ...validClaims(authServer, 'x'),
      aud: 'https://other',
    });
    const invalid = await orders().get('/orders').set('Authorization', `Bearer ${forged}`);
    expect(invalid.status).toBe(401);
    expect(invalid.body).toEqual({
      type: 'about:blank',
      title: 'Unauthorized',
      status: 401,
      detail: 'The access token is invalid or has expired.',
      error: 'invalid_token',
    });
  });

  it('caches the JWKS: many verifications, one fetch', async () => {
    const token = await getToken(authServer, await createClient(authServer, ['orders:read']));
    for (let i = 0; i < 5; i++) {
      expect((await orders().get('/orders').set('Authorization', `Bearer ${token}`)).status).toBe(
        200,
      );
    }
    // The first test's request fetched it; nothing since.
    expect(jwksRequests).toBe(1);
  });
});

describe('createAccessTokenVerifier (framework-free)', () => {
  let authServer: TestServer;

  beforeAll(async () => {
    authServer = await startServer();
  });

  afterAll(async () => {
    await authServer.close();
    await authServer.database.drop();
  });

  it('verifies a token and checks the required scopes', async () => {
    const client = await createClient(authServer, ['orders:read']);
    const token = await getToken(authServer, client);
    const verifyAccessToken = createAccessTokenVerifier({
      issuer: authServer.url,
      audience: authServer.url,
    });
    await expect(
      verifyAccessToken(token, { requiredScopes: ['orders:read'] }),
    ).resolves.toMatchObject({
      clientId: client.clientId,
      scopes: ['orders:read'],
    });
    const error = await verifyAccessToken(token, {
      requiredScopes: ['orders:read', 'orders:write'],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AccessTokenError);
    expect([(error as AccessTokenError).code, (error as AccessTokenError).requiredScopes]).toEqual([
      'insufficient_scope',
      ['orders:read', 'orders:write'],
    ]);
  });

  it('pins the audience and the issuer', async () => {
    const token = await getToken(authServer, await createClient(authServer, ['a']));
    for (const options of [
      { issuer: authServer.url, audience: 'https://someone-else' },
      {
        issuer: 'https://evil.example',
        audience: authServer.url,
        jwksUri: `${authServer.url}/.well-known/jwks.json`,
      },
    ]) {
      const error = await createAccessTokenVerifier(options)(token).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'AccessTokenError', code: 'invalid_token' });
    }
  });

  it('works from a fixed JWKS too', async () => {
    const token = await getToken(authServer, await createClient(authServer, ['a']));
    const jwks = (await authServer.http().get('/.well-known/jwks.json')).body;
    const verify = createAccessTokenVerifier({
      issuer: authServer.url,
      audience: authServer.url,
      jwks,
    });
    await expect(verify(token)).resolves.toMatchObject({ scopes: ['a'] });
  });
});
