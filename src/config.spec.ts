import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, parseDatabaseUrl } from './config.js';

describe('example server configuration', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'm2m-config-'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const KEY = Buffer.alloc(32, 7).toString('base64');

  it('defaults: port 3000, issuer http://localhost:3000, SQLite in ./data', () => {
    const config = loadConfig({ M2M_KEY_ENCRYPTION_KEY: KEY });
    expect(config).toEqual({
      port: 3000,
      host: undefined,
      issuer: 'http://localhost:3000',
      database: { type: 'sqlite', path: './data/m2m.sqlite' },
      keyEncryptionKey: KEY,
      production: false,
      httpAdapter: 'express',
    });
  });

  it('takes HTTP_ADAPTER express or fastify and names the variable for anything else', () => {
    expect(loadConfig({ M2M_KEY_ENCRYPTION_KEY: KEY, HTTP_ADAPTER: 'fastify' }).httpAdapter).toBe(
      'fastify',
    );
    expect(() => loadConfig({ M2M_KEY_ENCRYPTION_KEY: KEY, HTTP_ADAPTER: 'koa' })).toThrow(
      new ConfigError('HTTP_ADAPTER must be express or fastify; got "koa".'),
    );
  });

  it.each([
    ['short', 'c2hvcnQ='],
    ['not base64', 'not a key!'],
    ['33 bytes', Buffer.alloc(33, 1).toString('base64')],
  ])(
    'refuses a key-encryption key that is not 32 bytes (%s), without echoing it',
    (_case, value) => {
      let message = '';
      try {
        loadConfig({ M2M_KEY_ENCRYPTION_KEY: value });
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        message = (error as Error).message;
      }
      expect(message).toBe(
        'M2M_KEY_ENCRYPTION_KEY must be 32 random bytes, base64-encoded (openssl rand -base64 32).',
      );
      expect(message).not.toContain(value);
    },
  );

  it('accepts a base64url key-encryption key', () => {
    const key = Buffer.alloc(32, 0xfb).toString('base64url');
    expect(loadConfig({ M2M_KEY_ENCRYPTION_KEY: key }).keyEncryptionKey).toBe(key);
  });

  it.each([undefined, 'http://auth.example.com', 'http://localhost:3000'])(
    'in production requires an https M2M_ISSUER (given %s)',
    (issuer) => {
      expect(() =>
        loadConfig({
          NODE_ENV: 'production',
          M2M_KEY_ENCRYPTION_KEY: KEY,
          ...(issuer === undefined ? {} : { M2M_ISSUER: issuer }),
        }),
      ).toThrow(
        new ConfigError(
          'M2M_ISSUER is required when NODE_ENV=production and must be the public https URL of this server (e.g. https://auth.example.com).',
        ),
      );
    },
  );

  it('production with a key and an https issuer', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      M2M_KEY_ENCRYPTION_KEY: KEY,
      M2M_ISSUER: 'https://auth.example.com',
    });
    expect([config.production, config.issuer]).toEqual([true, 'https://auth.example.com']);
  });

  it.each(['auth.example.com', 'https://auth.example.com/?x=1', 'ftp://auth.example.com'])(
    'refuses M2M_ISSUER=%s, naming the variable',
    (issuer) => {
      expect(() => loadConfig({ M2M_KEY_ENCRYPTION_KEY: KEY, M2M_ISSUER: issuer })).toThrow(
        /^M2M_ISSUER must be the server's base URL/,
      );
    },
  );

  it('treats empty variables as unset', () => {
    expect(
      loadConfig({ M2M_KEY_ENCRYPTION_KEY: KEY, PORT: '', DATABASE_URL: '', HTTP_ADAPTER: '' }),
    ).toMatchObject({ port: 3000, httpAdapter: 'express' });
  });

  it('derives the default issuer from PORT and takes M2M_ISSUER and HOST as given', () => {
    expect(loadConfig({ PORT: '8080', M2M_KEY_ENCRYPTION_KEY: KEY }).issuer).toBe(
      'http://localhost:8080',
    );
    const config = loadConfig({
      PORT: '8080',
      HOST: '127.0.0.1',
      M2M_ISSUER: 'https://auth.example.com',
      M2M_KEY_ENCRYPTION_KEY: KEY,
    });
    expect([config.issuer, config.host]).toEqual(['https://auth.example.com', '127.0.0.1']);
  });

  it.each(['abc', '-1', '70000', '1.5', '08'])('rejects PORT=%s, naming the variable', (port) => {
    expect(() => loadConfig({ PORT: port, M2M_KEY_ENCRYPTION_KEY: KEY })).toThrow(
      new ConfigError(`PORT must be an integer from 0 to 65535; got "${port}".`),
    );
  });

  it('parses DATABASE_URL for SQLite and PostgreSQL and rejects anything else', () => {
    expect(parseDatabaseUrl('sqlite:/var/lib/m2m.db')).toEqual({
      type: 'sqlite',
      path: '/var/lib/m2m.db',
    });
    expect(parseDatabaseUrl('sqlite:relative.db')).toEqual({ type: 'sqlite', path: 'relative.db' });
    expect(parseDatabaseUrl('postgres://u:p@h:5432/db')).toEqual({
      type: 'postgres',
      url: 'postgres://u:p@h:5432/db',
    });
    expect(parseDatabaseUrl('postgresql://h/db')).toEqual({
      type: 'postgres',
      url: 'postgresql://h/db',
    });
    expect(() => parseDatabaseUrl('mysql://h/db')).toThrow(/DATABASE_URL must be sqlite:<path>/);
    expect(() => parseDatabaseUrl('sqlite:')).toThrow(ConfigError);
  });

  it('takes REDIS_URL for shared rate limits and rejects other schemes', () => {
    expect(
      loadConfig({ M2M_KEY_ENCRYPTION_KEY: KEY, REDIS_URL: 'redis://r:6379/1' }).redisUrl,
    ).toBe('redis://r:6379/1');
    expect(loadConfig({ M2M_KEY_ENCRYPTION_KEY: KEY, REDIS_URL: 'rediss://r:6380' }).redisUrl).toBe(
      'rediss://r:6380',
    );
    expect(() => loadConfig({ M2M_KEY_ENCRYPTION_KEY: KEY, REDIS_URL: 'r:6379' })).toThrow(
      new ConfigError(
        'REDIS_URL must be redis://[user:password@]host:6379[/db] (or rediss:// for TLS).',
      ),
    );
  });

  it('refuses to run in production without M2M_KEY_ENCRYPTION_KEY', () => {
    expect(() =>
      loadConfig({ NODE_ENV: 'production', DATABASE_URL: `sqlite:${join(dir, 'm2m.sqlite')}` }),
    ).toThrow(
      new ConfigError(
        'M2M_KEY_ENCRYPTION_KEY is required when NODE_ENV=production: 32 random bytes, base64 (openssl rand -base64 32).',
      ),
    );
  });

  it('in development generates a key once, keeps it beside the database (mode 600), and warns', () => {
    const warnings: string[] = [];
    const env = { DATABASE_URL: `sqlite:${join(dir, 'm2m.sqlite')}` };
    const first = loadConfig(env, (message) => warnings.push(message));
    const second = loadConfig(env, (message) => warnings.push(message));
    const file = join(dir, 'key-encryption-key');
    expect(first.keyEncryptionKey).toBe(second.keyEncryptionKey);
    expect(Buffer.from(first.keyEncryptionKey, 'base64')).toHaveLength(32);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.keyEncryptionKey);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(warnings).toEqual([
      `M2M_KEY_ENCRYPTION_KEY is not set: using the development key in ${file}. Set it in production.`,
      `M2M_KEY_ENCRYPTION_KEY is not set: using the development key in ${file}. Set it in production.`,
    ]);
    // The warning never carries the key itself.
    expect(warnings.join()).not.toContain(first.keyEncryptionKey);
  });
});
