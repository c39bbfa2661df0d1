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
    });
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

  it.each(['abc', '-1', '70000', '1.5'])('rejects PORT=%s', (port) => {
    expect(() => loadConfig({ PORT: port, M2M_KEY_ENCRYPTION_KEY: KEY })).toThrow(ConfigError);
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
