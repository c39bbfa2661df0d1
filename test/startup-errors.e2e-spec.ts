import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { createApp } from '../src/bootstrap.js';
import { loadConfig, type AppConfig } from '../src/config.js';
import { startupProblem } from '../src/startup.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { CapturingLogger, startServer, testHttpAdapter } from './support/server.js';

/**
 * Start-up failures an operator can fix are reported as one line that names the variable to
 * change (main.ts prints it after "Cannot start: " and exits with 1); none is a stack trace.
 */
describe('start-up errors: one line naming the variable', () => {
  let database: TestDatabase;
  const kek = randomBytes(32).toString('base64');

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database.drop();
  });

  function configFor(overrides: Partial<AppConfig> = {}): AppConfig {
    return {
      port: 0,
      host: '127.0.0.1',
      issuer: 'http://127.0.0.1',
      database: database.config,
      keyEncryptionKey: kek,
      production: false,
      httpAdapter: testHttpAdapter(),
      ...overrides,
    };
  }

  /** The line main.ts would print for a start with `config`, or `null` if it started. */
  async function failureOf(config: AppConfig): Promise<string | undefined | null> {
    const logger = new CapturingLogger();
    try {
      const app = await createApp(config, { logger, m2m: { bcryptCost: 4 } });
      await app.listen(config.port, config.host ?? '127.0.0.1').catch(async (error: unknown) => {
        await app.close();
        throw error;
      });
      await app.close();
      return null;
    } catch (error) {
      const line = startupProblem(error, config);
      if (line !== undefined) expect(line).not.toMatch(/\n|\s+at /);
      return line;
    }
  }

  it('a key-encryption key that does not open the stored signing keys', async () => {
    expect(await failureOf(configFor())).toBeNull();
    const other = randomBytes(32).toString('base64');
    expect(await failureOf(configFor({ keyEncryptionKey: other }))).toBe(
      'M2M_KEY_ENCRYPTION_KEY does not open the signing keys stored in this database: set it to the key they were stored with.',
    );
  });

  it('a key-encryption key of the wrong length, without echoing it', () => {
    let line: string | undefined;
    try {
      loadConfig({ M2M_KEY_ENCRYPTION_KEY: 'c2hvcnQ=' });
    } catch (error) {
      line = startupProblem(error, undefined);
    }
    expect(line).toBe(
      'M2M_KEY_ENCRYPTION_KEY must be 32 random bytes, base64-encoded (openssl rand -base64 32).',
    );
  });

  it('an unreachable PostgreSQL: names DATABASE_URL', async () => {
    const line = await failureOf(
      configFor({ database: { type: 'postgres', url: 'postgres://m2m:secret@127.0.0.1:1/m2m' } }),
    );
    expect(line).toBe(
      'Cannot use the database (check DATABASE_URL): connect ECONNREFUSED 127.0.0.1:1',
    );
    // The password in the URL never appears.
    expect(line).not.toContain('secret');
  }, 20_000);

  it('a SQLite path whose folder cannot be created: names DATABASE_URL', async () => {
    const line = await failureOf(
      configFor({ database: { type: 'sqlite', path: '/dev/null/m2m/m2m.sqlite' } }),
    );
    expect(line).toMatch(
      /^DATABASE_URL: cannot create the folder of the SQLite file \/dev\/null\/m2m\/m2m\.sqlite \((ENOTDIR|EEXIST)\); choose a writable path\.$/,
    );
  });

  it('a port in use: names PORT', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      expect(await failureOf(configFor({ port }))).toBe(
        `PORT ${port} is already in use (127.0.0.1:${port}): stop the other process or set PORT to a free port.`,
      );
    } finally {
      blocker.close();
    }
  });

  it('an unreachable Redis: names REDIS_URL', async () => {
    expect(await failureOf(configFor({ redisUrl: 'redis://127.0.0.1:1' }))).toBe(
      'Cannot reach Redis (check REDIS_URL): connect ECONNREFUSED 127.0.0.1:1',
    );
  });

  it('production without an https issuer', () => {
    let line: string | undefined;
    try {
      loadConfig({ NODE_ENV: 'production', M2M_KEY_ENCRYPTION_KEY: kek });
    } catch (error) {
      line = startupProblem(error, undefined);
    }
    expect(line).toBe(
      'M2M_ISSUER is required when NODE_ENV=production and must be the public https URL of this server (e.g. https://auth.example.com).',
    );
  });

  it('a bug is not disguised: an unknown error keeps its stack trace', () => {
    expect(startupProblem(new TypeError('x is undefined'), configFor())).toBeUndefined();
  });

  it('after those failures, the same database starts normally', async () => {
    const server = await startServer({ database, keyEncryptionKey: kek });
    await server.close();
  });
});
