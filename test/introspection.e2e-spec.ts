import { decodeJwt } from 'jose';
import * as oauth from 'oauth4webapi';
import { basic, createClient, getToken, startServer, type TestServer } from './support/server.js';
import { signToken, validClaims } from './support/tokens.js';

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

describe('token introspection (RFC 7662) and revocation (RFC 7009)', () => {
  let server: TestServer;
  let gateway: { clientId: string; clientSecret: string };
  let worker: { clientId: string; clientSecret: string };

  beforeAll(async () => {
    server = await startServer();
    gateway = await createClient(server, ['m2m:introspect'], 'api-gateway');
    worker = await createClient(server, ['reports:read'], 'worker');
  });

  afterAll(async () => {
    await server.close();
    await server.database.drop();
  });

  const introspect = (token: string, caller = gateway) =>
    server
      .http()
      .post('/oauth2/introspect')
      .set('Authorization', basic(caller.clientId, caller.clientSecret))
      .type('form')
      .send({ token, token_type_hint: 'access_token' });
  const revoke = (token: string, caller = worker) =>
    server
      .http()
      .post('/oauth2/revoke')
      .set('Authorization', basic(caller.clientId, caller.clientSecret))
      .type('form')
      .send({ token });

  describe('introspection', () => {
    it('describes an active token with the standard members', async () => {
      const token = await getToken(server, worker);
      const claims = decodeJwt(token);
      const response = await introspect(token);
      expect(response.status).toBe(200);
      expect(response.headers).toMatchObject(NO_STORE);
      expect(response.body).toEqual({
        active: true,
        scope: 'reports:read',
        client_id: worker.clientId,
        token_type: 'Bearer',
        exp: claims.exp,
        iat: claims.iat,
        sub: worker.clientId,
        aud: server.url,
        iss: server.url,
        jti: claims.jti,
      });
    });

    it.each([
      ['garbage', async () => 'not-a-token'],
      [
        'expired',
        async () => {
          const c = validClaims(server, worker.clientId);
          return signToken(server, { ...c, iat: c.iat! - 600, exp: c.iat! - 60 });
        },
      ],
      [
        'foreign (another issuer)',
        async () =>
          signToken(server, { ...validClaims(server, worker.clientId), iss: 'https://elsewhere' }),
      ],
    ])('answers {"active": false} and nothing else for a %s token', async (_name, make) => {
      const response = await introspect(await make());
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ active: false });
    });

    it('answers {"active": false} for a revoked token', async () => {
      const token = await getToken(server, worker);
      expect((await revoke(token)).status).toBe(200);
      expect((await introspect(token)).body).toEqual({ active: false });
    });

    it('refuses a client without m2m:introspect (403 unauthorized_client)', async () => {
      const token = await getToken(server, worker);
      const response = await introspect(token, worker);
      expect(response.status).toBe(403);
      expect(response.headers).toMatchObject(NO_STORE);
      expect(response.body).toEqual({
        error: 'unauthorized_client',
        error_description: 'The client is not allowed to introspect tokens.',
      });
    });

    it('refuses an unauthenticated caller (401 invalid_client, Basic challenge)', async () => {
      const response = await introspect('x', {
        clientId: gateway.clientId,
        clientSecret: worker.clientSecret,
      });
      expect(response.status).toBe(401);
      expect(response.body).toEqual({
        error: 'invalid_client',
        error_description: 'Client authentication failed.',
      });
      expect(response.headers['www-authenticate']).toBe('Basic realm="m2m", charset="UTF-8"');
    });

    it('requires the token parameter', async () => {
      const response = await server
        .http()
        .post('/oauth2/introspect')
        .set('Authorization', basic(gateway.clientId, gateway.clientSecret))
        .type('form')
        .send({});
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        error: 'invalid_request',
        error_description: 'The token parameter is required.',
      });
    });

    it('accepts POST only', async () => {
      const response = await server.http().get('/oauth2/introspect');
      expect(response.status).toBe(405);
      expect(response.headers['allow']).toBe('POST');
    });
  });

  describe('revocation', () => {
    it('revokes the client’s own token: the guard rejects it at once', async () => {
      const token = await getToken(server, worker);
      expect(
        (await server.http().get('/demo/reports').set('Authorization', `Bearer ${token}`)).status,
      ).toBe(200);
      const response = await revoke(token);
      expect(response.status).toBe(200);
      expect(response.headers).toMatchObject(NO_STORE);
      expect(response.text).toBe('');
      expect(
        (await server.http().get('/demo/reports').set('Authorization', `Bearer ${token}`)).status,
      ).toBe(401);
    });

    it('answers 200 for unknown, invalid and already revoked tokens', async () => {
      expect((await revoke('not-a-token')).status).toBe(200);
      const token = await getToken(server, worker);
      expect((await revoke(token)).status).toBe(200);
      expect((await revoke(token)).status).toBe(200);
    });

    it('refuses to revoke another client’s token, which keeps working', async () => {
      const other = await createClient(server, ['reports:read'], 'other');
      const token = await getToken(server, other);
      const response = await revoke(token, worker);
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        error: 'invalid_request',
        error_description: 'The token was not issued to this client.',
      });
      expect(
        (await server.http().get('/demo/reports').set('Authorization', `Bearer ${token}`)).status,
      ).toBe(200);
    });

    it('requires client authentication', async () => {
      const token = await getToken(server, worker);
      const response = await server.http().post('/oauth2/revoke').type('form').send({ token });
      expect(response.status).toBe(401);
      expect(response.body).toEqual({
        error: 'invalid_client',
        error_description: 'Client authentication failed.',
      });
    });
  });

  describe('with an off-the-shelf client (oauth4webapi)', () => {
    let as: oauth.AuthorizationServer;

    beforeAll(async () => {
      const issuer = new URL(server.url);
      as = await oauth.processDiscoveryResponse(
        issuer,
        await oauth.discoveryRequest(issuer, {
          algorithm: 'oauth2',
          [oauth.allowInsecureRequests]: true,
        }),
      );
    });

    it('discovers both endpoints, introspects, revokes, and sees the token inactive', async () => {
      expect([as.introspection_endpoint, as.revocation_endpoint]).toEqual([
        `${server.url}/oauth2/introspect`,
        `${server.url}/oauth2/revoke`,
      ]);
      const token = await getToken(server, worker);
      const options = { [oauth.allowInsecureRequests]: true };
      const active = await oauth.processIntrospectionResponse(
        as,
        { client_id: gateway.clientId },
        await oauth.introspectionRequest(
          as,
          { client_id: gateway.clientId },
          oauth.ClientSecretBasic(gateway.clientSecret),
          token,
          options,
        ),
      );
      expect(active).toMatchObject({
        active: true,
        client_id: worker.clientId,
        scope: 'reports:read',
      });

      await oauth.processRevocationResponse(
        await oauth.revocationRequest(
          as,
          { client_id: worker.clientId },
          oauth.ClientSecretPost(worker.clientSecret),
          token,
          options,
        ),
      );
      const inactive = await oauth.processIntrospectionResponse(
        as,
        { client_id: gateway.clientId },
        await oauth.introspectionRequest(
          as,
          { client_id: gateway.clientId },
          oauth.ClientSecretPost(gateway.clientSecret),
          token,
          options,
        ),
      );
      expect(inactive).toEqual({ active: false });
    });
  });
});
