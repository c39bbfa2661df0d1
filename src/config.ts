import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';

/** Where the example server keeps its data. */
export type DatabaseConfig = { type: 'sqlite'; path: string } | { type: 'postgres'; url: string };

/** The example server's configuration, read from the environment only. */
export interface AppConfig {
  port: number;
  host: string | undefined;
  issuer: string;
  database: DatabaseConfig;
  /** Base64 key-encryption secret for the signing keys at rest. */
  keyEncryptionKey: string;
  /** Redis for rate-limit state shared by several instances; in memory when absent. */
  redisUrl?: string;
  production: boolean;
}

/** A configuration problem; the message says what to change. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const DEFAULT_DATABASE_URL = 'sqlite:./data/m2m.sqlite';

/** Parses `DATABASE_URL`: `sqlite:<path>` or `postgres://…` / `postgresql://…`. */
export function parseDatabaseUrl(url: string): DatabaseConfig {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path === '') throw new ConfigError('DATABASE_URL sqlite:<path> needs a file path.');
    return { type: 'sqlite', path };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    return { type: 'postgres', url };
  }
  throw new ConfigError(
    'DATABASE_URL must be sqlite:<path> (e.g. sqlite:./data/m2m.sqlite) or postgres://user:password@host:5432/db.',
  );
}

/** The database named by `DATABASE_URL`, or the embedded SQLite default. */
export function databaseFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  return parseDatabaseUrl(env['DATABASE_URL'] || DEFAULT_DATABASE_URL);
}

function redisUrlFrom(url: string): string {
  if (!/^rediss?:\/\//.test(url)) {
    throw new ConfigError(
      'REDIS_URL must be redis://[user:password@]host:6379[/db] (or rediss:// for TLS).',
    );
  }
  return url;
}

function parsePort(value: string | undefined): number {
  if (value === undefined || value === '') return 3000;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be an integer from 0 to 65535; got "${value}".`);
  }
  return port;
}

/**
 * The key-encryption secret. In production it must be given. In development a random one is
 * generated once and kept in a file beside the data, with a warning, so that restarts keep
 * decrypting the same signing keys.
 */
function keyEncryptionKeyFrom(
  env: NodeJS.ProcessEnv,
  production: boolean,
  database: DatabaseConfig,
  warn: (message: string) => void,
): string {
  const given = env['M2M_KEY_ENCRYPTION_KEY'];
  if (given !== undefined && given !== '') return given;
  if (production) {
    throw new ConfigError(
      'M2M_KEY_ENCRYPTION_KEY is required when NODE_ENV=production: 32 random bytes, base64 (openssl rand -base64 32).',
    );
  }
  const dir = database.type === 'sqlite' ? dirname(resolve(database.path)) : resolve('data');
  const file = resolve(dir, 'key-encryption-key');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  }
  warn(
    `M2M_KEY_ENCRYPTION_KEY is not set: using the development key in ${file}. Set it in production.`,
  );
  return readFileSync(file, 'utf8').trim();
}

/** Reads the configuration from environment variables (see README "Configuration"). */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  warn: (message: string) => void = () => undefined,
): AppConfig {
  const production = env['NODE_ENV'] === 'production';
  const port = parsePort(env['PORT']);
  const database = databaseFromEnv(env);
  return {
    port,
    host: env['HOST'] || undefined,
    issuer: env['M2M_ISSUER'] || `http://localhost:${port}`,
    database,
    keyEncryptionKey: keyEncryptionKeyFrom(env, production, database, warn),
    ...(env['REDIS_URL'] ? { redisUrl: redisUrlFrom(env['REDIS_URL']) } : {}),
    production,
  };
}
