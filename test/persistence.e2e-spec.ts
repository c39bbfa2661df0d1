import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditLog } from 'nestjs-m2m';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import {
  createClient,
  getToken,
  startServer,
  TEST_KEK,
  type TestServer,
} from './support/server.js';

interface KeyRow {
  kid: string;
  private_jwk_encrypted: string;
}

describe('persistence across restarts', () => {
  let database: TestDatabase;
  let server: TestServer | undefined;

  beforeAll(async () => {
    // Empty: the first start runs the migrations, the restarts find them done.
    database = await createTestDatabase({ empty: true });
  });

  afterAll(async () => {
    await server?.close();
    await database.drop();
  });

  it('keeps clients, secrets and signing keys: a token from before the restart still verifies', async () => {
    server = await startServer({ database });
    const port = server.config.port;
    const client = await createClient(server, ['reports:read']);
    const token = await getToken(server, client);
    const jwksBefore = (await server.http().get('/.well-known/jwks.json')).body as object;
    await server.close();

    server = await startServer({ database, port });
    expect(server.logger.lines.filter((line) => line.includes('Generated a new'))).toEqual([]);
    expect((await server.http().get('/.well-known/jwks.json')).body).toEqual(jwksBefore);
    const before = await server.http().get('/demo/reports').set('Authorization', `Bearer ${token}`);
    expect(before.status).toBe(200);
    expect(before.body.requested_by).toBe(client.clientId);

    // The buffered token.issued event and usage were written at shutdown.
    const events = await server.app
      .get(AuditLog)
      .list({ clientId: client.clientId, type: 'token.issued' });
    expect(events.data).toHaveLength(1);
    expect((await server.clients.get(client.clientId)).tokenCount).toBe(1);

    // The client and its secret survived too.
    const after = await getToken(server, client);
    expect(
      (await server.http().get('/demo/whoami').set('Authorization', `Bearer ${after}`)).body,
    ).toEqual({
      client_id: client.clientId,
      scopes: ['reports:read'],
    });
  });

  it('stores the private signing key encrypted at rest', async () => {
    server ??= await startServer({ database });
    const [row] = (await server.app
      .get(DataSource)
      .query('SELECT kid, private_jwk_encrypted FROM m2m_signing_keys')) as KeyRow[];
    expect(row!.private_jwk_encrypted).toMatch(
      /^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/,
    );
    expect(row!.private_jwk_encrypted).not.toContain('"d"');
    expect(row!.private_jwk_encrypted).not.toContain('P-256');
  });

  it('refuses to start with another key-encryption key, saying which setting to check', async () => {
    await server?.close();
    server = undefined;
    await expect(
      startServer({ database, keyEncryptionKey: randomBytes(32).toString('base64') }),
    ).rejects.toThrow(/cannot be decrypted.*M2M_KEY_ENCRYPTION_KEY/);
    // The right key still works afterwards: nothing was overwritten.
    server = await startServer({ database, keyEncryptionKey: TEST_KEK });
    expect((await server.http().get('/health')).status).toBe(200);
  });
});
