import { ConsoleLogger } from '@nestjs/common';
import { describeM2mStartupError } from 'nestjs-m2m';
import { ConfigError, type AppConfig } from './config.js';
import { RedisUnavailableError } from './redis/redis.module.js';

/** The environment variables behind the module's settings, for the one-line start-up errors. */
const SETTINGS = {
  keyEncryptionKey: 'M2M_KEY_ENCRYPTION_KEY',
  issuer: 'M2M_ISSUER',
  database: 'DATABASE_URL',
} as const;

/**
 * The one line an operator reads when the server cannot start: what failed and the variable to
 * change. `undefined` for an error that is a bug, which keeps its stack trace.
 */
export function startupProblem(
  error: unknown,
  config: Pick<AppConfig, 'port' | 'host'> | undefined,
): string | undefined {
  if (error instanceof ConfigError) return error.message;
  if (error instanceof RedisUnavailableError) {
    return `Cannot reach Redis (check REDIS_URL): ${error.message}`;
  }
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const syscall = (error as NodeJS.ErrnoException | null)?.syscall;
  if (config !== undefined && syscall === 'listen') {
    const where =
      config.host === undefined ? `port ${config.port}` : `${config.host}:${config.port}`;
    if (code === 'EADDRINUSE') {
      return `PORT ${config.port} is already in use (${where}): stop the other process or set PORT to a free port.`;
    }
    if (code === 'EACCES') {
      return `PORT ${config.port} needs privileges this process does not have (${where}): set PORT to 1024 or above.`;
    }
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      return `HOST ${config.host ?? ''} is not an address of this machine: set HOST to one of its addresses, or leave it unset.`;
    }
  }
  return describeM2mStartupError(error, SETTINGS);
}

/**
 * The server's logger: Nest's console logger without the reports that a failed start would print
 * as stack traces (Nest's `ExceptionHandler`, TypeORM's connection retries). The failure itself
 * is reported once, as one line, by `main.ts`.
 */
export class ServerLogger extends ConsoleLogger {
  override error(message: unknown, ...optionalParams: unknown[]): void {
    const context = optionalParams.at(-1) ?? this.context;
    if (context === 'ExceptionHandler') return;
    if (
      context === 'TypeOrmModule' &&
      typeof message === 'string' &&
      message.startsWith('Unable to connect to the database')
    ) {
      return;
    }
    super.error(message, ...optionalParams);
  }
}
