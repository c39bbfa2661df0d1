import { randomBytes } from 'node:crypto';

/** Prefix of client ids. */
export const CLIENT_ID_PREFIX = 'm2mc_';

/** Prefix of client secrets, so that secret scanners and people can recognise them. */
export const CLIENT_SECRET_PREFIX = 'm2ms_';

/**
 * A new client id: the prefix and 128 random bits, base64url. Not a secret, but unguessable, so
 * that ids cannot be enumerated.
 */
export function generateClientId(): string {
  return CLIENT_ID_PREFIX + randomBytes(16).toString('base64url');
}

/**
 * A new client secret: the prefix and 256 random bits in base64url (URL-safe). 48 characters in
 * all, below bcrypt's 72-byte input limit, so every character counts.
 */
export function generateClientSecret(): string {
  return CLIENT_SECRET_PREFIX + randomBytes(32).toString('base64url');
}

/** The non-secret hint stored for display: the last four characters. */
export function secretHint(secret: string): string {
  return secret.slice(-4);
}
