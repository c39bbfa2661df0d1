import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { IsIn, IsOptional, Matches, validateSync, ValidateBy } from 'class-validator';

/** Where the example server keeps its data. */
export type DatabaseConfig = { type: 'sqlite'; path: string } | { type: 'postgres'; url: string };

/** The HTTP platforms the example server runs on. */
export const HTTP_ADAPTERS = ['express', 'fastify'] as const;
export type HttpAdapterName = (typeof HTTP_ADAPTERS)[number];

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
  /** `HTTP_ADAPTER`: the HTTP platform. @default 'express' */
  httpAdapter: HttpAdapterName;
}

/** A configuration problem; the message names the variable and says what to change. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const DEFAULT_DATABASE_URL = 'sqlite:./data/m2m.sqlite';

/** Whether a base64 (or base64url) string decodes to exactly 32 bytes. */
function isKey32(value: unknown): boolean {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(value.trim())) return false;
  const encoding = /[-_]/.test(value) ? 'base64url' : 'base64';
  return Buffer.from(value.trim(), encoding).length === 32;
}

/** `PORT`: an integer from 0 to 65535. */
export function IsPort(): PropertyDecorator {
  const message = ({ value }: { value: unknown }) =>
    `PORT must be an integer from 0 to 65535; got "${String(value)}".`;
  return (target, property) => {
    Matches(/^(0|[1-9][0-9]{0,4})$/, { message })(target, property);
    ValidateBy(
      { name: 'portRange', validator: { validate: (value) => Number(value) <= 65535 } },
      { message },
    )(target, property);
  };
}

/** `M2M_ISSUER`: an http(s) base URL without query or fragment. */
export function IsIssuerUrl(): PropertyDecorator {
  return Matches(/^https?:\/\/[^\s?#]+$/, {
    message: ({ value }) =>
      `M2M_ISSUER must be the server's base URL, http(s)://host[:port][/path] without query or fragment; got "${String(value)}".`,
  });
}

/**
 * The environment variables of the example server: the schema that `@nestjs/config` validates
 * them with (`validate: validateEnvironment`). Empty values count as unset.
 */
export class EnvironmentVariables {
  @IsOptional()
  NODE_ENV?: string;

  @IsOptional()
  @IsPort()
  PORT?: string;

  @IsOptional()
  HOST?: string;

  @IsOptional()
  @IsIssuerUrl()
  M2M_ISSUER?: string;

  @IsOptional()
  @Matches(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/s, {
    message:
      'DATABASE_URL must be sqlite:<path> (e.g. sqlite:./data/m2m.sqlite) or postgres://user:password@host:5432/db.',
  })
  DATABASE_URL?: string;

  @IsOptional()
  @Matches(/^rediss?:\/\/.+$/, {
    message: 'REDIS_URL must be redis://[user:password@]host:6379[/db] (or rediss:// for TLS).',
  })
  REDIS_URL?: string;

  @IsOptional()
  @ValidateBy(
    { name: 'key32', validator: { validate: isKey32 } },
    {
      // The value itself never goes into the message.
      message:
        'M2M_KEY_ENCRYPTION_KEY must be 32 random bytes, base64-encoded (openssl rand -base64 32).',
    },
  )
  M2M_KEY_ENCRYPTION_KEY?: string;

  @IsOptional()
  @IsIn(HTTP_ADAPTERS, {
    message: ({ value }) => `HTTP_ADAPTER must be express or fastify; got "${String(value)}".`,
  })
  HTTP_ADAPTER?: HttpAdapterName;
}

/**
 * Validates environment variables against a schema class; empty values count as unset. Throws a
 * {@link ConfigError} whose message is one line naming the first variable at fault.
 */
export function validateAgainst<T extends object>(
  schema: new () => T,
  raw: Record<string, unknown>,
): T {
  const given = Object.fromEntries(
    Object.entries(raw).filter(([, value]) => value !== undefined && value !== ''),
  );
  const env = plainToInstance(schema, given, { excludeExtraneousValues: false });
  const [first] = validateSync(env, { stopAtFirstError: true, forbidUnknownValues: false });
  if (first !== undefined) {
    throw new ConfigError(
      Object.values(first.constraints ?? {})[0] ?? `${first.property} is invalid.`,
    );
  }
  return env;
}

/**
 * Validates the environment against {@link EnvironmentVariables}; throws a {@link ConfigError}
 * whose message is one line naming the first variable at fault. Usable as the `validate` option
 * of `ConfigModule.forRoot()`.
 */
export function validateEnvironment(raw: Record<string, unknown>): EnvironmentVariables {
  const env = validateAgainst(EnvironmentVariables, raw);
  if (env.NODE_ENV === 'production') {
    if (env.M2M_KEY_ENCRYPTION_KEY === undefined) {
      throw new ConfigError(
        'M2M_KEY_ENCRYPTION_KEY is required when NODE_ENV=production: 32 random bytes, base64 (openssl rand -base64 32).',
      );
    }
    if (env.M2M_ISSUER === undefined || !env.M2M_ISSUER.startsWith('https://')) {
      throw new ConfigError(
        'M2M_ISSUER is required when NODE_ENV=production and must be the public https URL of this server (e.g. https://auth.example.com).',
      );
    }
  }
  return env;
}

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

/** The database named by `DATABASE_URL`, or the embedded SQLite default (for the TypeORM CLI). */
export function databaseFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const { DATABASE_URL } = validateEnvironment({ DATABASE_URL: env['DATABASE_URL'] });
  return parseDatabaseUrl(DATABASE_URL ?? DEFAULT_DATABASE_URL);
}

/**
 * The key-encryption secret. In production it must be given. In development a random one is
 * generated once and kept in a file beside the data, with a warning, so that restarts keep
 * decrypting the same signing keys.
 */
function keyEncryptionKeyFrom(
  given: string | undefined,
  database: DatabaseConfig,
  warn: (message: string) => void,
): string {
  if (given !== undefined) return given;
  const dir = database.type === 'sqlite' ? dirname(resolve(database.path)) : resolve('data');
  const file = resolve(dir, 'key-encryption-key');
  try {
    if (!existsSync(file)) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    }
  } catch (error) {
    throw new ConfigError(
      `M2M_KEY_ENCRYPTION_KEY is not set and the development key cannot be written to ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}): set M2M_KEY_ENCRYPTION_KEY, or a writable DATABASE_URL.`,
    );
  }
  warn(
    `M2M_KEY_ENCRYPTION_KEY is not set: using the development key in ${file}. Set it in production.`,
  );
  return readFileSync(file, 'utf8').trim();
}

/** The configuration of the example server from validated environment variables. */
export function appConfigFrom(
  env: EnvironmentVariables,
  warn: (message: string) => void = () => undefined,
): AppConfig {
  const port = env.PORT === undefined ? 3000 : Number(env.PORT);
  const database = parseDatabaseUrl(env.DATABASE_URL ?? DEFAULT_DATABASE_URL);
  return {
    port,
    host: env.HOST,
    issuer: env.M2M_ISSUER ?? `http://localhost:${port}`,
    database,
    keyEncryptionKey: keyEncryptionKeyFrom(env.M2M_KEY_ENCRYPTION_KEY, database, warn),
    ...(env.REDIS_URL === undefined ? {} : { redisUrl: env.REDIS_URL }),
    production: env.NODE_ENV === 'production',
    httpAdapter: env.HTTP_ADAPTER ?? 'express',
  };
}

/** Reads and validates the configuration from environment variables (docs/configuration.md). */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  warn: (message: string) => void = () => undefined,
): AppConfig {
  return appConfigFrom(validateEnvironment(env), warn);
}
