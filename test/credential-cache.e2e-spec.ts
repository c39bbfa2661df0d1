import { decodeJwt } from 'jose';
import { AuditLog, ClientSecretsService as ClientSecrets } from 'nestjs-m2m';
import { createClient, startServer, tokenRequest, type TestServer } from './support/server.js';

// The verified-credential cache is on in every suite (the module default). These tests use a
// secret first, so that it is cached, then change the client and expect the change to apply to
// the very next request: the cache may never make the token endpoint answer from stale state.

describe('verified-credential cache: changes apply at once on the instance that made them', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });

  afterAll(async () => {
    await server.close();
    await server.database.drop();
  });

  const secrets = () => server.app.get(ClientSecrets);
  const cached = async (id: string, secret: string) => {
    expect((await tokenRequest(server, id, secret)).status).toBe(200);
    expect((await tokenRequest(server, id, secret)).status).toBe(200);
  };

  it('rotation start: the next secret works at once; with no grace the cached current one stops', async () => {
    const client = await createClient(server, ['reports:read']);
    await cached(client.clientId, client.clientSecret);
    const { nextClientSecret } = await secrets().startRotation(client.clientId, {
      graceSeconds: 0,
    });
    expect((await tokenRequest(server, client.clientId, client.clientSecret)).status).toBe(401);
    expect((await tokenRequest(server, client.clientId, nextClientSecret)).status).toBe(200);
  });

  it('rotation complete: the cached old secret stops at once', async () => {
    const client = await createClient(server, ['reports:read']);
    const { nextClientSecret } = await secrets().startRotation(client.clientId);
    await cached(client.clientId, client.clientSecret);
    await cached(client.clientId, nextClientSecret);
    await secrets().completeRotation(client.clientId);
    expect((await tokenRequest(server, client.clientId, client.clientSecret)).status).toBe(401);
    expect((await tokenRequest(server, client.clientId, nextClientSecret)).status).toBe(200);
  });

  it('rotation cancel: the cached next secret stops at once', async () => {
    const client = await createClient(server, ['reports:read']);
    const { nextClientSecret } = await secrets().startRotation(client.clientId);
    await cached(client.clientId, nextClientSecret);
    await secrets().cancelRotation(client.clientId);
    expect((await tokenRequest(server, client.clientId, nextClientSecret)).status).toBe(401);
    expect((await tokenRequest(server, client.clientId, client.clientSecret)).status).toBe(200);
  });

  it('disable, enable and delete apply at once', async () => {
    const client = await createClient(server, ['reports:read']);
    await cached(client.clientId, client.clientSecret);
    await server.clients.update(client.clientId, { status: 'disabled' });
    const refused = await tokenRequest(server, client.clientId, client.clientSecret);
    expect([refused.status, refused.body]).toEqual([
      401,
      { error: 'invalid_client', error_description: 'Client authentication failed.' },
    ]);
    await server.clients.update(client.clientId, { status: 'active' });
    await cached(client.clientId, client.clientSecret);
    await server.clients.delete(client.clientId);
    expect((await tokenRequest(server, client.clientId, client.clientSecret)).status).toBe(401);
  });

  it('a change of scopes applies to the next token', async () => {
    const client = await createClient(server, ['reports:read']);
    await cached(client.clientId, client.clientSecret);
    await server.clients.update(client.clientId, { scopes: ['reports:read', 'reports:write'] });
    const response = await tokenRequest(server, client.clientId, client.clientSecret);
    expect(response.body.scope).toBe('reports:read reports:write');
    expect(decodeJwt(response.body.access_token as string).scope).toBe(
      'reports:read reports:write',
    );
  });

  it('a cache hit is still audited as token.issued with the secret used, and counted', async () => {
    const client = await createClient(server, ['reports:read']);
    const { nextClientSecret } = await secrets().startRotation(client.clientId);
    await cached(client.clientId, client.clientSecret);
    await cached(client.clientId, nextClientSecret);
    const audit = server.app.get(AuditLog);
    await audit.flush();
    const issued = await audit.list({ clientId: client.clientId, type: 'token.issued' });
    expect(issued.data.map((event) => event.details?.['secret'])).toEqual([
      'next',
      'next',
      'current',
      'current',
    ]);
    const view = await server.clients.get(client.clientId);
    expect(view.tokenCount).toBe(4);
    expect(view.nextSecret?.lastUsedAt).not.toBeNull();
    expect(view.secretLastUsedAt).not.toBeNull();
  });
});

describe('verified-credential cache: changes reach the other instances through the feed', () => {
  let first: TestServer;
  let second: TestServer;

  beforeAll(async () => {
    first = await startServer({ m2m: { revocationRefreshMs: 100 } });
    second = await startServer({
      database: first.database,
      m2m: { revocationRefreshMs: 100, issuer: first.url, audience: first.url },
    });
  });

  afterAll(async () => {
    await first.close();
    await second.close();
    await first.database.drop();
  });

  /** Polls `attempt` until it answers `status`, for at most 3 s (30 refresh intervals). */
  async function eventually(attempt: () => Promise<{ status: number }>, status: number) {
    const deadline = Date.now() + 3000;
    let last = (await attempt()).status;
    while (last !== status && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      last = (await attempt()).status;
    }
    return last;
  }

  it('a rotation completed on one instance stops the old secret cached by the other', async () => {
    const client = await createClient(first, ['reports:read']);
    const { nextClientSecret } = await first.app.get(ClientSecrets).startRotation(client.clientId);
    expect((await tokenRequest(second, client.clientId, client.clientSecret)).status).toBe(200);
    expect((await tokenRequest(second, client.clientId, client.clientSecret)).status).toBe(200);
    await first.app.get(ClientSecrets).completeRotation(client.clientId);
    expect(
      await eventually(() => tokenRequest(second, client.clientId, client.clientSecret), 401),
    ).toBe(401);
    expect((await tokenRequest(second, client.clientId, nextClientSecret)).status).toBe(200);
  });

  it('a client disabled on one instance is refused by the other', async () => {
    const client = await createClient(first, ['reports:read']);
    expect((await tokenRequest(second, client.clientId, client.clientSecret)).status).toBe(200);
    await first.clients.update(client.clientId, { status: 'disabled' });
    expect(
      await eventually(() => tokenRequest(second, client.clientId, client.clientSecret), 401),
    ).toBe(401);
  });
});
