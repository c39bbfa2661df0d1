/** What a caller is asked to wait (`Retry-After`, seconds) while the database is unavailable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** Error codes of Node.js sockets that mean the database cannot be reached. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/** SQLite result codes of a database that is busy or cannot be used right now. */
const SQLITE_CODES = /^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|FULL|NOMEM|READONLY)/;

/** Messages of the pg driver (and TypeORM) for a lost, refused or timed-out connection. */
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Connection is not established|Client has encountered a connection error|the database system is (starting up|shutting down|in recovery mode)|terminating connection/i;

function codeOf(value: unknown): string | undefined {
  const code = (value as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Whether `error` says that the database is unreachable, overloaded or too slow right now, as
 * opposed to a request it refused. Such failures are answered with 503 and `Retry-After` rather
 * than 500: retrying later is the right thing for the caller to do.
 *
 * PostgreSQL SQLSTATE classes 08 (connection exception), 53 (insufficient resources) and 57
 * (operator intervention, which includes a statement timeout, 57014) qualify; so do socket
 * errors, the pg driver's connection and query timeouts, and SQLite's busy and I/O errors.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current != null && depth < 3; depth++) {
    const code = codeOf(current);
    if (code !== undefined) {
      if (SOCKET_CODES.has(code) || SQLITE_CODES.test(code)) return true;
      if (/^(08|53|57)[0-9A-Z]{3}$/.test(code)) return true;
    }
    const message = (current as { message?: unknown }).message;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message)) return true;
    // TypeORM wraps the driver's error in `driverError`; Node in `cause`.
    current =
      (current as { driverError?: unknown }).driverError ?? (current as { cause?: unknown }).cause;
  }
  return false;
}
