import { decodeProtectedHeader } from 'jose';
import { DataSource } from 'typeorm';
import { SigningKeysService } from 'nestjs-m2m';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from './support/database.js';
import { createClient, getToken, startServer, type TestServer } from './support/server.js';

interface KeyBody {
  kid: string;
  status: 'next' | 'active' | 'retired';
  expires_at: string | null;
}

describe('signing-key rotation', () => {
  let database: TestDatabase;
  let server: TestServer | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await server?.close();
    await database.drop();
  });

  const jwksKids = async (s: TestServer) =>
    ((await s.http().get('/.well-known/jwks.json')).body as { keys: { kid: string }[] }).keys
      .map((k) => k.kid)
      .sort();

  it('publishes the next key before it signs, keeps retired keys until their tokens expire, then drops them', async () => {
    server = await startServer({ database });
    const port = server.config.port;
    const adminToken = await getToken(server, await createClient(server, ['m2m:admin'], 'admin'));
    const client = await createClient(server, ['reports:read']);
    const rotate = async (s: TestServer) => {
      const response = await s
        .http()
        .post('/m2m/signing-keys/rotate')
        .set('Authorization', `Bearer ${adminToken}`);
      expect(response.status).toBe(200);
      return (response.body as { data: KeyBody[] }).data;
    };
    const call = (s: TestServer, token: string) =>
      s.http().get('/demo/reports').set('Authorization', `Bearer ${token}`);

    const before = (
      await server.http().get('/m2m/signing-keys').set('Authorization', `Bearer ${adminToken}`)
    ).body as {
      data: KeyBody[];
    };
    const a = before.data.find((k) => k.status === 'active')!.kid;
    const b = before.data.find((k) => k.status === 'next')!.kid;
    expect(await jwksKids(server)).toEqual([a, b].sort());
    const tokenA = await getToken(server, client);
    expect(decodeProtectedHeader(tokenA).kid).toBe(a);

    // First rotation: B (already published) signs; A is retired but still published.
    const first = await rotate(server);
    const c = first.find((k) => k.status === 'next')!.kid;
    expect(first.find((k) => k.status === 'active')!.kid).toBe(b);
    const retiredA = first.find((k) => k.kid === a)!;
    expect(retiredA.status).toBe('retired');
    expect(Date.parse(retiredA.expires_at!) - Date.now()).toBeGreaterThan(3590_000);
    expect(await jwksKids(server)).toEqual([a, b, c].sort());
    const tokenB = await getToken(server, client);
    expect(decodeProtectedHeader(tokenB).kid).toBe(b);
    expect((await call(server, tokenA)).status).toBe(200);

    // Second rotation: C signs; A and B stay published for their tokens.
    const second = await rotate(server);
    expect(second.filter((k) => k.status === 'active').map((k) => k.kid)).toEqual([c]);
    expect(second.filter((k) => k.status === 'next')).toHaveLength(1);
    expect((await call(server, tokenA)).status).toBe(200);
    expect((await call(server, tokenB)).status).toBe(200);

    // Time passes for A: every token it signed has expired, so it leaves the JWKS and its
    // tokens no longer verify; B's tokens still do.
    const param = database.config.type === 'postgres' ? '$1' : '?';
    await server.app
      .get(DataSource)
      .query(`UPDATE m2m_signing_keys SET expires_at = ${Date.now() - 1000} WHERE kid = ${param}`, [
        a,
      ]);
    await server.close();
    server = await startServer({ database, port });
    expect(await jwksKids(server)).not.toContain(a);
    expect((await call(server, tokenA)).status).toBe(401);
    expect((await call(server, tokenB)).status).toBe(200);

    // The admin token was signed by A too: a new one.
    const freshAdmin = await getToken(server, await createClient(server, ['m2m:admin'], 'admin-2'));
    const audit = await server
      .http()
      .get('/m2m/audit-events?type=signing_key.rotated')
      .set('Authorization', `Bearer ${freshAdmin}`);
    expect(
      (audit.body as { data: { details: { active_kid: string } }[] }).data.map(
        (e) => e.details.active_kid,
      ),
    ).toEqual([c, b]);
  });

  // Two instances in one process on one SQLite file would block each other's synchronous
  // driver; the multi-instance set-up this checks is PostgreSQL's, which CI always runs.
  const onPostgres = testDatabaseKind() === 'postgres' ? it : it.skip;

  onPostgres('with several instances rotating at once, exactly one key is active', async () => {
    await server?.close();
    const first = await startServer({ database });
    const second = await startServer({ database });
    try {
      const results = await Promise.allSettled([
        first.app.get(SigningKeysService).rotate(),
        second.app.get(SigningKeysService).rotate(),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.find((r) => r.status === 'rejected')).toMatchObject({
        reason: { name: 'SigningKeyConflictError', status: 409 },
      });
      const rows = (await first.app
        .get(DataSource)
        .query('SELECT kid, status FROM m2m_signing_keys')) as { kid: string; status: string }[];
      expect(rows.filter((r) => r.status === 'active')).toHaveLength(1);
      expect(rows.filter((r) => r.status === 'next')).toHaveLength(1);
      // Both instances sign with the active key.
      const active = rows.find((r) => r.status === 'active') as { kid: string };
      expect(first.app.get(SigningKeysService).activeKey().kid).toBe(active.kid);
      expect(second.app.get(SigningKeysService).activeKey().kid).toBe(active.kid);
    } finally {
      await first.close();
      await second.close();
      server = undefined;
    }
  });
});
