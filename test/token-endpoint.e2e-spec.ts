import { decodeJwt, decodeProtectedHeader } from 'jose';
import { DataSource } from 'typeorm';
import type { Response } from 'supertest';
import { basic, createClient, startServer, type TestServer } from './support/server.js';

const INVALID_CLIENT = {
  error: 'invalid_client',
  error_description: 'Client authentication failed.',
};
const BASIC_CHALLENGE = 'Basic realm="m2m", charset="UTF-8"';

function expectNoStore(response: Response): void {
  expect(response.headers['cache-control']).toBe('no-store');
  expect(response.headers['pragma']).toBe('no-cache');
  expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
}

function expectError(response: Response, status: number, body: object): void {
  expect({ status: response.status, body: response.body as object }).toEqual({ status, body });
  expectNoStore(response);
}

function invalidRequest(description: string) {
  return { error: 'invalid_request', error_description: description };
}

describe('token endpoint (RFC 6749 §4.4)', () => {
  let server: TestServer;
  let client: { clientId: string; clientSecret: string };

  beforeAll(async () => {
    server = await startServer();
    client = await createClient(server, ['reports:read', 'reports:write']);
  });

  afterAll(async () => {
    await server.close();
    await server.database.drop();
  });

  const post = () => server.http().post('/oauth2/token');
  const withBasic = (id = client.clientId, secret = client.clientSecret) =>
    post().set('Authorization', basic(id, secret)).type('form');

  describe('success', () => {
    it('client_secret_basic with a form body: an RFC 9068 access token, no-store, no refresh token', async () => {
      const response = await withBasic().send({ grant_type: 'client_credentials' });
      expect(response.status).toBe(200);
      expectNoStore(response);
      expect(Object.keys(response.body as object).sort()).toEqual([
        'access_token',
        'expires_in',
        'scope',
        'token_type',
      ]);
      const body = response.body as {
        access_token: string;
        token_type: string;
        expires_in: number;
        scope: string;
      };
      expect([body.token_type, body.expires_in, body.scope]).toEqual([
        'Bearer',
        3600,
        'reports:read reports:write',
      ]);

      const header = decodeProtectedHeader(body.access_token);
      expect(Object.keys(header).sort()).toEqual(['alg', 'kid', 'typ']);
      expect([header.alg, header.typ]).toEqual(['ES256', 'at+jwt']);
      const claims = decodeJwt(body.access_token);
      expect(Object.keys(claims).sort()).toEqual([
        'aud',
        'client_id',
        'exp',
        'iat',
        'iss',
        'jti',
        'scope',
        'sub',
        'token_version',
      ]);
      expect(claims).toMatchObject({
        iss: server.url,
        sub: client.clientId,
        aud: server.url,
        client_id: client.clientId,
        scope: 'reports:read reports:write',
        token_version: 0,
      });
      expect(claims.exp! - claims.iat!).toBe(3600);
      expect(Math.abs(claims.iat! - Date.now() / 1000)).toBeLessThan(10);
      expect(claims.jti).toMatch(/^[A-Za-z0-9_-]{22}$/);
    });

    it('issues a unique jti per token', async () => {
      const jtis = new Set<unknown>();
      for (let i = 0; i < 5; i++) {
        const response = await withBasic().send({ grant_type: 'client_credentials' });
        jtis.add(decodeJwt((response.body as { access_token: string }).access_token).jti);
      }
      expect(jtis.size).toBe(5);
    });

    it('client_secret_post with a form body', async () => {
      const response = await post().type('form').send({
        grant_type: 'client_credentials',
        client_id: client.clientId,
        client_secret: client.clientSecret,
      });
      expect(response.status).toBe(200);
      expect(decodeJwt((response.body as { access_token: string }).access_token).sub).toBe(
        client.clientId,
      );
    });

    it('client_secret_post with a JSON body', async () => {
      const response = await post().send({
        grant_type: 'client_credentials',
        client_id: client.clientId,
        client_secret: client.clientSecret,
        scope: 'reports:read',
      });
      expect(response.status).toBe(200);
      expect((response.body as { scope: string }).scope).toBe('reports:read');
    });

    it('client_secret_basic with a JSON body', async () => {
      const response = await post()
        .set('Authorization', basic(client.clientId, client.clientSecret))
        .send({ grant_type: 'client_credentials' });
      expect(response.status).toBe(200);
    });

    it('accepts Basic with a body client_id naming the same client', async () => {
      const response = await withBasic().send({
        grant_type: 'client_credentials',
        client_id: client.clientId,
      });
      expect(response.status).toBe(200);
    });

    it('ignores unknown parameters', async () => {
      const response = await withBasic().send({
        grant_type: 'client_credentials',
        audience_hint: 'x',
        foo: 'bar',
      });
      expect(response.status).toBe(200);
    });

    it('never returns the client secret', async () => {
      const response = await withBasic().send({ grant_type: 'client_credentials' });
      expect(response.text).not.toContain(client.clientSecret);
    });
  });

  describe('scope (RFC 6749 §3.3)', () => {
    const scopeOf = async (scope: string | undefined) => {
      const response = await withBasic().send({
        grant_type: 'client_credentials',
        ...(scope === undefined ? {} : { scope }),
      });
      return { status: response.status, body: response.body as Record<string, string> };
    };

    it('omitted: every scope the client is allowed', async () => {
      expect((await scopeOf(undefined)).body['scope']).toBe('reports:read reports:write');
    });

    it('empty: counts as absent', async () => {
      expect((await scopeOf('')).body['scope']).toBe('reports:read reports:write');
    });

    it('a subset: only that subset, in the token too', async () => {
      const { body } = await scopeOf('reports:write');
      expect(body['scope']).toBe('reports:write');
      expect(decodeJwt(body['access_token']!).scope).toBe('reports:write');
    });

    it('extra spaces are tolerated', async () => {
      expect((await scopeOf('  reports:write   reports:read ')).body['scope']).toBe(
        'reports:write reports:read',
      );
    });

    it('a scope the client is not allowed: invalid_scope (fail closed, nothing issued)', async () => {
      const response = await withBasic().send({
        grant_type: 'client_credentials',
        scope: 'reports:read admin:all',
      });
      expectError(response, 400, {
        error: 'invalid_scope',
        error_description:
          'The requested scope is invalid, unknown, or exceeds what the client is allowed.',
      });
    });

    it('a malformed scope token: invalid_scope', async () => {
      const response = await withBasic().send({
        grant_type: 'client_credentials',
        scope: 'reports:"read"',
      });
      expectError(response, 400, {
        error: 'invalid_scope',
        error_description: 'The scope parameter is malformed.',
      });
    });
  });

  describe('client authentication failures: one identical invalid_client', () => {
    let disabled: { clientId: string; clientSecret: string };
    let expired: { clientId: string; clientSecret: string };

    beforeAll(async () => {
      disabled = await createClient(server, ['reports:read'], 'disabled');
      await server.clients.update(disabled.clientId, { status: 'disabled' });
      expired = await createClient(server, ['reports:read'], 'expired');
      const column = server.database.config.type === 'postgres' ? '$1' : '?';
      await server.app
        .get(DataSource)
        .query(
          `UPDATE m2m_clients SET expires_at = ${Date.now() - 1000} WHERE client_id = ${column}`,
          [expired.clientId],
        );
    });

    // The secret with its last character changed (to one it is not already).
    const wrongSecret = () =>
      `${client.clientSecret.slice(0, -1)}${client.clientSecret.endsWith('A') ? 'B' : 'A'}`;
    const cases = () => [
      ['unknown client', 'm2mc_doesnotexist', client.clientSecret],
      ['wrong secret', client.clientId, wrongSecret()],
      ['disabled client', disabled.clientId, disabled.clientSecret],
      ['expired client', expired.clientId, expired.clientSecret],
    ];

    it.each([0, 1, 2, 3])('with Basic: 401 and a Basic challenge (case %i)', async (i) => {
      const [, id, secret] = cases()[i]!;
      const response = await withBasic(id, secret).send({ grant_type: 'client_credentials' });
      expectError(response, 401, INVALID_CLIENT);
      expect(response.headers['www-authenticate']).toBe(BASIC_CHALLENGE);
    });

    it.each([0, 1, 2, 3])('with client_secret_post: 401 and no challenge (case %i)', async (i) => {
      const [, id, secret] = cases()[i]!;
      const response = await post()
        .type('form')
        .send({ grant_type: 'client_credentials', client_id: id, client_secret: secret });
      expectError(response, 401, INVALID_CLIENT);
      expect(response.headers['www-authenticate']).toBeUndefined();
    });

    it('no credentials at all: 401 invalid_client with a Basic challenge', async () => {
      const response = await post().type('form').send({ grant_type: 'client_credentials' });
      expectError(response, 401, INVALID_CLIENT);
      expect(response.headers['www-authenticate']).toBe(BASIC_CHALLENGE);
    });

    it('a client_id without a secret is no authentication', async () => {
      const response = await post()
        .type('form')
        .send({ grant_type: 'client_credentials', client_id: client.clientId });
      expectError(response, 401, INVALID_CLIENT);
    });

    it('authentication comes first: a bad client with a bad grant and scope learns nothing else', async () => {
      const response = await withBasic('m2mc_doesnotexist', 'x').send({
        grant_type: 'password',
        scope: 'nope',
      });
      expectError(response, 401, INVALID_CLIENT);
    });

    it('a re-enabled client authenticates again', async () => {
      const again = await createClient(server, ['reports:read'], 'toggle');
      await server.clients.update(again.clientId, { status: 'disabled' });
      expect(
        (
          await withBasic(again.clientId, again.clientSecret).send({
            grant_type: 'client_credentials',
          })
        ).status,
      ).toBe(401);
      await server.clients.update(again.clientId, { status: 'active' });
      expect(
        (
          await withBasic(again.clientId, again.clientSecret).send({
            grant_type: 'client_credentials',
          })
        ).status,
      ).toBe(200);
    });
  });

  describe('malformed requests: 400 invalid_request', () => {
    it('grant_type missing', async () => {
      expectError(
        await withBasic().send({}),
        400,
        invalidRequest('The grant_type parameter is required.'),
      );
    });

    it('another grant type: unsupported_grant_type', async () => {
      expectError(await withBasic().send({ grant_type: 'password' }), 400, {
        error: 'unsupported_grant_type',
        error_description: 'Only the client_credentials grant type is supported.',
      });
    });

    it('a repeated parameter', async () => {
      const response = await withBasic().send(
        'grant_type=client_credentials&grant_type=client_credentials',
      );
      expectError(
        response,
        400,
        invalidRequest('The grant_type parameter must be a single string value.'),
      );
    });

    it('a repeated scope', async () => {
      const response = await withBasic().send(
        'grant_type=client_credentials&scope=reports:read&scope=reports:write',
      );
      expectError(
        response,
        400,
        invalidRequest('The scope parameter must be a single string value.'),
      );
    });

    it('an array parameter (scope[]=)', async () => {
      const response = await withBasic().send('grant_type=client_credentials&scope[]=reports:read');
      expectError(
        response,
        400,
        invalidRequest('The scope parameter must be a single string value.'),
      );
    });

    it('an object parameter (client_id[x]=)', async () => {
      const response = await post()
        .type('form')
        .send(
          `grant_type=client_credentials&client_id[x]=${client.clientId}&client_secret=${client.clientSecret}`,
        );
      expectError(
        response,
        400,
        invalidRequest('The client_id parameter must be a single string value.'),
      );
    });

    it('a JSON array value', async () => {
      const response = await post()
        .set('Authorization', basic(client.clientId, client.clientSecret))
        .send({ grant_type: 'client_credentials', scope: ['reports:read'] });
      expectError(
        response,
        400,
        invalidRequest('The scope parameter must be a single string value.'),
      );
    });

    it('a JSON number value', async () => {
      const response = await post()
        .set('Authorization', basic(client.clientId, client.clientSecret))
        .send({ grant_type: 42 });
      expectError(
        response,
        400,
        invalidRequest('The grant_type parameter must be a single string value.'),
      );
    });

    it('Basic and client_secret in the body: two methods', async () => {
      const response = await withBasic().send({
        grant_type: 'client_credentials',
        client_secret: client.clientSecret,
      });
      expectError(
        response,
        400,
        invalidRequest('The client must use only one authentication method.'),
      );
    });

    it('Basic for one client and client_id of another', async () => {
      const response = await withBasic().send({
        grant_type: 'client_credentials',
        client_id: 'm2mc_someoneelse',
      });
      expectError(
        response,
        400,
        invalidRequest('The client_id parameter does not match the authenticated client.'),
      );
    });

    it.each([
      ['not base64', 'Basic %%%'],
      ['no colon', `Basic ${Buffer.from('justanid').toString('base64')}`],
      ['empty id', `Basic ${Buffer.from(':secret').toString('base64')}`],
      ['bad percent-encoding', `Basic ${Buffer.from('%zz:secret').toString('base64')}`],
      ['extra parts', `Basic ${Buffer.from('a:b').toString('base64')} more`],
      ['no credentials', 'Basic'],
    ])('a malformed Basic header: %s', async (_name, header) => {
      const response = await post()
        .set('Authorization', header)
        .type('form')
        .send({ grant_type: 'client_credentials' });
      expectError(response, 400, invalidRequest('The Authorization header is malformed.'));
    });

    it('another Authorization scheme', async () => {
      const response = await post()
        .set('Authorization', 'Bearer abc')
        .type('form')
        .send({ grant_type: 'client_credentials' });
      expectError(
        response,
        400,
        invalidRequest('Client authentication must use HTTP Basic or the request body.'),
      );
    });

    it('an unsupported content type', async () => {
      const response = await withBasic().type('text/plain').send('grant_type=client_credentials');
      expectError(
        response,
        400,
        invalidRequest(
          'The request body must be application/x-www-form-urlencoded or application/json.',
        ),
      );
    });

    it('no body at all', async () => {
      const response = await post().set(
        'Authorization',
        basic(client.clientId, client.clientSecret),
      );
      expectError(
        response,
        400,
        invalidRequest(
          'The request body must be application/x-www-form-urlencoded or application/json.',
        ),
      );
    });

    it('malformed JSON: an OAuth error, not an HTML page or a stack trace', async () => {
      const response = await post().set('Content-Type', 'application/json').send('{"grant_type": ');
      expectError(response, 400, invalidRequest('The request body cannot be parsed.'));
    });

    it('more than 100 parameters: 400, not a 413 (the body is small)', async () => {
      const body = Array.from({ length: 150 }, (_, i) => `p${i}=x`).join('&');
      const response = await server.http().post('/oauth2/token').type('form').send(body);
      expectError(response, 400, invalidRequest('The request has too many parameters.'));
    });

    it('a path that is not valid percent-encoding: invalid_request, not the app’s default body', async () => {
      const response = await server.http().post('/oauth2/register/%ZZ').send({});
      expectError(response, 400, invalidRequest('The request path is not valid percent-encoding.'));
    });

    it('a body over 16 KB: 413', async () => {
      const response = await withBasic().send(
        `grant_type=client_credentials&pad=${'a'.repeat(17 * 1024)}`,
      );
      expectError(response, 413, invalidRequest('The request body is too large.'));
    });
  });

  describe('Basic credentials are form-urlencoded (RFC 6749 §2.3.1)', () => {
    it('decodes percent-escapes and "+" in the id and the secret', async () => {
      const encoded = (value: string) =>
        value.replace(/[_-]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
      const header = `Basic ${Buffer.from(`${encoded(client.clientId)}:${encoded(client.clientSecret)}`).toString('base64')}`;
      const response = await post()
        .set('Authorization', header)
        .type('form')
        .send({ grant_type: 'client_credentials' });
      expect(response.status).toBe(200);
    });
  });

  describe('methods', () => {
    it.each(['get', 'put', 'delete', 'patch'] as const)(
      '%s: 405 with Allow: POST',
      async (method) => {
        const response = await server.http()[method]('/oauth2/token');
        expectError(
          response,
          405,
          invalidRequest('The token endpoint accepts only POST requests.'),
        );
        expect(response.headers['allow']).toBe('POST');
      },
    );
  });
});
