import { generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, getToken, startServer, type TestServer } from './support/server.js';

// The keys of private_key_jwt clients fetched from their jwks_uri: bounded in size, time and
// number in flight, and (in production) never from a private, loopback or metadata address.

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const INVALID_CLIENT = {
  error: 'invalid_client',
  error_description: 'Client authentication failed.',
};
const MB = 1024 * 1024;

describe('jwks_uri fetches are bounded', () => {
  let server: TestServer;
  let adminToken: string;
  let host: Server;
  let base: string;
  let sent = 0;
  let connections = 0;
  let signer: { privateKey: CryptoKey; kid: string };

  beforeAll(async () => {
    server = await startServer({
      m2m: { privateKeyJwt: { jwksTimeoutMs: 500, maxConcurrentFetches: 2 } },
    });
    adminToken = await getToken(server, await createClient(server, ['m2m:admin'], 'admin'));
    const { privateKey } = await generateKeyPair('ES256');
    signer = { privateKey, kid: 'k1' };
    host = createServer((request, response) => {
      connections += 1;
      if (request.url === '/huge') {
        // 200 MB of JSON-looking bytes, as fast as the socket takes them.
        const chunk = Buffer.alloc(MB, 0x20);
        response.writeHead(200, { 'content-type': 'application/json' });
        const pump = () => {
          while (sent < 200 * MB && response.write(chunk)) sent += chunk.length;
          if (sent < 200 * MB) response.once('drain', pump);
          else response.end();
        };
        pump();
      }
      // Any other path never answers.
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    host.closeAllConnections();
    await new Promise((resolve) => host.close(resolve));
    await server.close();
    await server.database.drop();
  });

  async function clientAt(jwksUri: string): Promise<string> {
    const created = await server
      .http()
      .post('/m2m/clients')
      .set('Authorization', `Bearer ${adminToken}`)
      .send({
        client_name: 'remote-keys',
        scopes: ['reports:read'],
        token_endpoint_auth_method: 'private_key_jwt',
        jwks_uri: jwksUri,
      });
    expect(created.status).toBe(201);
    return (created.body as { client_id: string }).client_id;
  }

  async function tokenFor(clientId: string) {
    const now = Math.floor(Date.now() / 1000);
    const assertion = await new SignJWT({ jti: randomUUID() })
      .setProtectedHeader({ alg: 'ES256', kid: signer.kid })
      .setIssuer(clientId)
      .setSubject(clientId)
      .setAudience(server.url)
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(signer.privateKey);
    const started = Date.now();
    const response = await server.http().post('/oauth2/token').type('form').send({
      grant_type: 'client_credentials',
      client_assertion_type: JWT_BEARER,
      client_assertion: assertion,
    });
    return { response, ms: Date.now() - started };
  }

  it('a 200 MB jwks_uri gives invalid_client quickly, read no further than the limit', async () => {
    const clientId = await clientAt(`${base}/huge`);
    const before = process.memoryUsage().rss;
    const { response, ms } = await tokenFor(clientId);
    expect([response.status, response.body]).toEqual([401, INVALID_CLIENT]);
    expect(ms).toBeLessThan(3000);
    // The server stopped reading: only what the socket buffers took was ever sent.
    expect(sent).toBeLessThan(32 * MB);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * MB);
    expect(server.logger.lines.join('\n')).toContain('jwks_uri response over 65536 bytes');
  });

  it('a jwks_uri that never answers gives invalid_client after the timeout, not later', async () => {
    const clientId = await clientAt(`${base}/silent`);
    const { response, ms } = await tokenFor(clientId);
    expect([response.status, response.body]).toEqual([401, INVALID_CLIENT]);
    expect(ms).toBeLessThan(2000);
  });

  it('at most maxConcurrentFetches fetches are in flight; the others fail at once', async () => {
    const ids = await Promise.all([1, 2, 3, 4].map((n) => clientAt(`${base}/slow-${n}`)));
    connections = 0;
    const results = await Promise.all(ids.map((id) => tokenFor(id)));
    expect(results.map((r) => r.response.status)).toEqual([401, 401, 401, 401]);
    expect(connections).toBe(2);
    expect(results.filter((r) => r.ms < 300)).toHaveLength(2);
  });
});

describe('jwks_uri in production: https only, public addresses only', () => {
  let server: TestServer;
  let adminToken: string;

  beforeAll(async () => {
    server = await startServer({ m2m: { production: true, bcryptCost: 10 } });
    adminToken = await getToken(server, await createClient(server, ['m2m:admin'], 'admin'));
  });

  afterAll(async () => {
    await server.close();
    await server.database.drop();
  });

  it.each([
    ['http://keys.example.com/jwks', 'must be an https URL'],
    ['http://127.0.0.1:8080/jwks', 'must be an https URL'],
    [
      'https://10.0.0.1/jwks',
      'must not point to a loopback, private, link-local or metadata address',
    ],
    [
      'https://169.254.169.254/latest/meta-data/',
      'must not point to a loopback, private, link-local or metadata address',
    ],
    [
      'https://localhost/jwks',
      'must not point to a loopback, private, link-local or metadata address',
    ],
    ['https://[::1]/jwks', 'must not point to a loopback, private, link-local or metadata address'],
  ])('refuses %s at registration with a problem naming jwks_uri', async (jwksUri, detail) => {
    const response = await server
      .http()
      .post('/m2m/clients')
      .set('Authorization', `Bearer ${adminToken}`)
      .send({
        client_name: 'remote-keys',
        scopes: ['reports:read'],
        token_endpoint_auth_method: 'private_key_jwt',
        jwks_uri: jwksUri,
      });
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect((response.body as { errors: unknown[] }).errors).toEqual([
      { pointer: '#/jwks_uri', detail },
    ]);
  });
});
