import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

/** Prefix of client ids. */
export const CLIENT_ID_PREFIX = 'm2mc_';

/** Prefix of client secrets, so that secret scanners and people can recognise them. */
export const CLIENT_SECRET_PREFIX = 'm2ms_';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SECRET_FORMAT = /^m2ms_[A-Za-z0-9_-]{43}[0-9A-Za-z]{6}$/;

/** CRC-32 of the prefix and the random part, as 6 base62 characters. */
function checksum(body: string): string {
  let value = crc32(body);
  let out = '';
  for (let i = 0; i < 6; i++) {
    out = BASE62[value % 62] + out;
    value = Math.floor(value / 62);
  }
  return out;
}

/**
 * A new client id: the prefix and 128 random bits, base64url. Not a secret, but unguessable, so
 * that ids cannot be enumerated.
 */
export function generateClientId(): string {
  return CLIENT_ID_PREFIX + randomBytes(16).toString('base64url');
}

/**
 * A new client secret: `m2ms_`, 256 random bits in base64url (43 characters), and a 6-character
 * base62 CRC-32 checksum of what precedes it. 54 characters in all, below bcrypt's 72-byte
 * input limit, so every character counts.
 */
export function generateClientSecret(): string {
  const body = CLIENT_SECRET_PREFIX + randomBytes(32).toString('base64url');
  return body + checksum(body);
}

/**
 * Whether `secret` has the format and a matching checksum. A mistyped or truncated secret
 * fails here, before any hashing; so does any string that is not one of our secrets.
 */
export function isWellFormedSecret(secret: string): boolean {
  return SECRET_FORMAT.test(secret) && checksum(secret.slice(0, -6)) === secret.slice(-6);
}

/** The non-secret hint stored for display: the last four characters. */
export function secretHint(secret: string): string {
  return secret.slice(-4);
}

/** Stands in for a secret-shaped value wherever a claimed client id would be logged or audited. */
export const REDACTED_SECRET = '[secret-shaped value]';

/**
 * Text that may hold a credential: one of our secret or registration-token prefixes anywhere in
 * it, or a run of 32 or more base64url characters (longer than any client id this server issues,
 * as long as most secrets and tokens of other systems).
 */
const CREDENTIAL_LIKE = /m2m[sr]_|[A-Za-z0-9_-]{32,}/i;

/**
 * The claimed client id as logs and the audit log may show it. Callers sometimes swap the id and
 * the secret (`Basic base64(secret:id)`) or paste a secret into the wrong field, with or without
 * surrounding text; a value that may hold a credential is never written anywhere.
 */
export function loggableClientId(claimed: string): string {
  return CREDENTIAL_LIKE.test(claimed) ? REDACTED_SECRET : claimed;
}
