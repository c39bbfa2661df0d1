import { firstLine } from './common/text.js';
import { isDatabaseUnavailable } from './errors/database-unavailable.js';
import { M2mConfigurationError } from './errors/m2m-configuration.error.js';
import { KeyDecryptionError } from './keys/key-encryption.js';

/**
 * What the host calls the settings behind the module's options, so that a start-up error names
 * the thing an operator edits (an environment variable) rather than an option in code.
 */
export interface M2mSettingNames {
  /** Where `keyEncryptionKey` comes from, e.g. `M2M_KEY_ENCRYPTION_KEY`. */
  keyEncryptionKey?: string;
  /** Where `issuer` comes from, e.g. `M2M_ISSUER`. */
  issuer?: string;
  /** Where the database connection comes from, e.g. `DATABASE_URL`. */
  database?: string;
}

/** Whether `error` comes from the database driver: a SQLSTATE, a SQLite code or a socket error. */
function isDatabaseError(error: unknown): boolean {
  if (isDatabaseUnavailable(error)) return true;
  for (let current: unknown = error, depth = 0; current != null && depth < 3; depth++) {
    const { code, severity } = current as { code?: unknown; severity?: unknown };
    if (typeof code === 'string' && /^(SQLITE_|[0-9A-Z]{5}$)/.test(code)) {
      // pg errors carry a severity beside the SQLSTATE; SQLite codes say what they are.
      if (code.startsWith('SQLITE_') || typeof severity === 'string') return true;
    }
    current =
      (current as { driverError?: unknown }).driverError ?? (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * One line for an error that stops the module from starting: invalid options, a key-encryption
 * key that does not open the stored signing keys, a database that cannot be reached or used.
 * The line names the setting to fix. Returns `undefined` for any other error, which is a bug and
 * deserves its stack trace.
 *
 * @example
 * ```ts
 * const line = describeM2mStartupError(error, { keyEncryptionKey: 'M2M_KEY_ENCRYPTION_KEY' });
 * ```
 */
export function describeM2mStartupError(
  error: unknown,
  names: M2mSettingNames = {},
): string | undefined {
  if (error instanceof M2mConfigurationError) {
    return firstLine(error.describe(names as Record<string, string>));
  }
  if (error instanceof KeyDecryptionError) {
    const setting = names.keyEncryptionKey ?? '`keyEncryptionKey`';
    return `${setting} does not open the signing keys stored in this database: set it to the key they were stored with.`;
  }
  if (isDatabaseError(error)) {
    const setting = names.database ?? 'the TypeORM data source';
    return `Cannot use the database (check ${setting}): ${firstLine((error as Error).message ?? String(error))}`;
  }
  return undefined;
}
