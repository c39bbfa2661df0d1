import { exportJWK, generateKeyPair, decodeJwt } from 'jose';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { AuditLog } from 'nestjs-m2m';
import { M2mOAuthError, M2mTokenClient, type M2mFetch } from 'nestjs-m2m-client';
import { reportingJobConfig, runReportingJob } from '../src/reporting-job/reporting-job.js';
import { basic, createClient, getToken, startServer, type TestServer } from './support/server.js';

/** The global fetch, counting the requests per path. */
function countingFetch(): { fetch: M2mFetch; count: (path: string) => number; paths: string[] } {
  const paths: string[] = [];
  return {
    fetch: (input, init) => {
      paths.push(new URL(input instanceof Request ? input.url : String(input)).pathname);
      return fetch(input, init);
    },
    count: (path) => paths.filter((seen) => seen === path).length,
    paths,
  };
}

describe('nestjs-m2m-client against the example server', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });

  afterAll(async () => {
    await server.close();
    await server.database.drop();
  });

  /** Tokens issued to a client, as the server counts them (token_count). */
  async function tokensIssued(clientId: string): Promise<number> {
    await server.app.get(AuditLog).flush(true);
    return (await server.clients.get(clientId)).tokenCount;
  }

  it('answers 1,000 concurrent getToken() calls with one token request', async () => {
    const caller = await createClient(server, ['reports:read'], 'reporting-job');
    const counting = countingFetch();
    const client = new M2mTokenClient({
      issuer: server.url,
      clientId: caller.clientId,
      clientSecret: caller.clientSecret,
      scopes: ['reports:read'],
      fetch: counting.fetch,
    });
    const tokens = await Promise.all(Array.from({ length: 1000 }, () => client.getToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(counting.paths).toEqual(['/.well-known/oauth-authorization-server', '/oauth2/token']);
    expect(await tokensIssued(caller.clientId)).toBe(1);
    const response = await client.fetch(`${server.url}/demo/reports`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      data: [{ id: 'r-2026-11', title: 'November usage', status: 'final' }],
      requested_by: caller.clientId,
    });
  });

  it('runs the example reporting job through the SDK', async () => {
    const caller = await createClient(server, ['reports:read'], 'example-job');
    const config = reportingJobConfig({
      M2M_ISSUER: server.url,
      CLIENT_ID: caller.clientId,
      CLIENT_SECRET: caller.clientSecret,
    });
    expect(config).toEqual({
      issuer: server.url,
      apiUrl: server.url,
      clientId: caller.clientId,
      clientSecret: caller.clientSecret,
    });
    const counting = countingFetch();
    expect(await runReportingJob(config, counting.fetch)).toEqual({
      data: [{ id: 'r-2026-11', title: 'November usage', status: 'final' }],
      requested_by: caller.clientId,
    });
    expect(counting.paths).toEqual([
      '/.well-known/oauth-authorization-server',
      '/oauth2/token',
      '/demo/reports',
    ]);
    expect(() => reportingJobConfig({ CLIENT_ID: 'x' })).toThrow(
      'Set CLIENT_SECRET: the credentials of a client with reports:read (npm run m2m -- clients create --name reporting-job --scopes reports:read --json).',
    );
  });

  it('after revocation, gets 401 invalid_token, a new token, and retries once', async () => {
    const caller = await createClient(server, ['reports:read', 'reports:write'], 'revoked');
    const counting = countingFetch();
    const client = new M2mTokenClient({
      tokenEndpoint: `${server.url}/oauth2/token`,
      clientId: caller.clientId,
      clientSecret: caller.clientSecret,
      authMethod: 'client_secret_post',
      fetch: counting.fetch,
    });
    const first = await client.getToken();
    // RFC 7009: the client revokes its own token; the guard refuses it from now on.
    const revoked = await server
      .http()
      .post('/oauth2/revoke')
      .set('Authorization', basic(caller.clientId, caller.clientSecret))
      .type('form')
      .send({ token: first });
    expect(revoked.status).toBe(200);

    const response = await client.fetch(`${server.url}/demo/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Q1' }),
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({
      status: 'queued',
      requested_by: caller.clientId,
      title: 'Q1',
    });
    expect(counting.paths).toEqual([
      '/oauth2/token',
      '/demo/reports',
      '/oauth2/token',
      '/demo/reports',
    ]);
    expect(await client.getToken()).not.toBe(first);
    expect(await tokensIssued(caller.clientId)).toBe(2);
  });

  it('authenticates with private_key_jwt end to end', async () => {
    const adminToken = await getToken(server, await createClient(server, ['m2m:admin'], 'admin'));
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const publicJwk = { ...(await exportJWK(publicKey)), kid: 'job-key-1', alg: 'ES256' };
    const registered = await server
      .http()
      .post('/m2m/clients')
      .set('Authorization', `Bearer ${adminToken}`)
      .send({
        client_name: 'signing-job',
        scopes: ['reports:read'],
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: [publicJwk] },
      });
    expect(registered.status).toBe(201);
    const clientId = (registered.body as { client_id: string }).client_id;
    const client = new M2mTokenClient({
      issuer: server.url,
      clientId,
      privateKey,
      kid: 'job-key-1',
    });
    const response = await client.fetch(`${server.url}/demo/whoami`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ client_id: clientId, scopes: ['reports:read'] });
    expect(decodeJwt(await client.getToken())).toMatchObject({
      iss: server.url,
      sub: clientId,
      client_id: clientId,
      scope: 'reports:read',
    });
  });

  it('fails once with invalid_client on a wrong secret: one request, no retry', async () => {
    const caller = await createClient(server, ['reports:read'], 'wrong-secret');
    const counting = countingFetch();
    const wrongSecret = `${caller.clientSecret.slice(0, -4)}XXXX`;
    const client = new M2mTokenClient({
      issuer: server.url,
      clientId: caller.clientId,
      clientSecret: wrongSecret,
      fetch: counting.fetch,
      retry: { baseDelayMs: 1 },
    });
    const errors = await Promise.all(
      Array.from({ length: 20 }, () => client.getToken().catch((error: unknown) => error)),
    );
    for (const error of errors) {
      expect(error).toBeInstanceOf(M2mOAuthError);
      expect(error).toMatchObject({
        error: 'invalid_client',
        errorDescription: 'Client authentication failed.',
        status: 401,
        retryAfterMs: undefined,
      });
      expect((error as Error).message).toBe(
        `${server.url}/oauth2/token answered 401 invalid_client: Client authentication failed.`,
      );
      expect(JSON.stringify(error) + String(error)).not.toContain(wrongSecret);
    }
    expect(counting.count('/oauth2/token')).toBe(1);
    expect(await tokensIssued(caller.clientId)).toBe(0);
  });
});

describe('nestjs-m2m-client backoff on 503 and 429', () => {
  let api: Server;
  let url: string;
  const arrivals: number[] = [];

  beforeAll(async () => {
    api = createHttpServer((req, res) => {
      arrivals.push(Date.now());
      req.resume();
      const answer = arrivals.length;
      const headers = { 'content-type': 'application/json', 'cache-control': 'no-store' };
      if (answer === 1) {
        res.writeHead(503, { ...headers, 'retry-after': '1' });
        res.end(JSON.stringify({ error: 'temporarily_unavailable' }));
      } else if (answer === 2) {
        res.writeHead(429, { ...headers, 'retry-after': '1' });
        res.end(JSON.stringify({ error: 'temporarily_unavailable' }));
      } else {
        res.writeHead(200, headers);
        res.end(JSON.stringify({ access_token: 'patient', token_type: 'Bearer', expires_in: 60 }));
      }
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(api.address() as AddressInfo).port}/token`;
  });

  afterAll(async () => {
    await new Promise((resolve) => api.close(resolve));
  });

  it('waits as long as each Retry-After says, then gets the token', async () => {
    const client = new M2mTokenClient({
      tokenEndpoint: url,
      clientId: 'patient-client',
      clientSecret: 'secret',
      retry: { baseDelayMs: 10 },
    });
    await expect(client.getToken()).resolves.toBe('patient');
    expect(arrivals).toHaveLength(3);
    expect(arrivals[1]! - arrivals[0]!).toBeGreaterThanOrEqual(1000);
    expect(arrivals[2]! - arrivals[1]!).toBeGreaterThanOrEqual(1000);
  });
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

describe('nestjs-m2m-client against node-oidc-provider', () => {
  let peer: ChildProcess;
  let issuer: string;
  const secret = randomBytes(32).toString('base64url');
  const resource = 'https://api.interop.example/';

  beforeAll(async () => {
    const port = await freePort();
    peer = spawn(process.execPath, [join(__dirname, '../bench/servers/oidc-provider.mjs')], {
      env: {
        ...process.env,
        PORT: String(port),
        PEER_CLIENT_ID: 'interop-client',
        PEER_CLIENT_SECRET: secret,
        PEER_RESOURCE: resource,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const ready = await new Promise<{ url: string }>((resolve, reject) => {
      peer.once('exit', (code) => reject(new Error(`oidc-provider exited with ${code}`)));
      createInterface({ input: peer.stdout! }).once('line', (line) => resolve(JSON.parse(line)));
    });
    issuer = ready.url;
  });

  afterAll(async () => {
    peer.removeAllListeners('exit');
    const exited = new Promise((resolve) => peer.once('exit', resolve));
    peer.kill('SIGTERM');
    await exited;
  });

  it('discovers the token endpoint (RFC 8414) and gets a JWT access token', async () => {
    const counting = countingFetch();
    const client = new M2mTokenClient({
      issuer,
      clientId: 'interop-client',
      clientSecret: secret,
      scopes: ['reports:read'],
      fetch: counting.fetch,
    });
    const tokens = await Promise.all(Array.from({ length: 50 }, () => client.getToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(counting.paths).toEqual(['/.well-known/oauth-authorization-server', '/token']);
    expect(decodeJwt(tokens[0]!)).toMatchObject({
      iss: issuer,
      aud: resource,
      client_id: 'interop-client',
      scope: 'reports:read',
    });
  });

  it('reports its invalid_client answer without retrying', async () => {
    const counting = countingFetch();
    const client = new M2mTokenClient({
      issuer,
      clientId: 'interop-client',
      clientSecret: 'not-the-secret',
      fetch: counting.fetch,
    });
    await expect(client.getToken()).rejects.toMatchObject({
      name: 'M2mOAuthError',
      error: 'invalid_client',
      status: 401,
    });
    expect(counting.count('/token')).toBe(1);
  });
});
