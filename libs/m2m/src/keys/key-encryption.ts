import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The stored envelope cannot be opened with the configured key-encryption key. */
export class KeyDecryptionError extends Error {
  override readonly name = 'KeyDecryptionError';
}

/**
 * Seals a private JWK with AES-256-GCM. The key id is bound as additional authenticated data, so
 * an envelope copied onto another key's row does not open.
 *
 * Format: `v1.<iv>.<tag>.<ciphertext>`, each part base64url.
 */
export function sealPrivateJwk(jwk: object, kek: Buffer, kid: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', kek, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(kid, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(jwk), 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), ciphertext]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

/** Opens an envelope made by {@link sealPrivateJwk}. */
export function openPrivateJwk(
  envelope: string,
  kek: Buffer,
  kid: string,
): Record<string, unknown> {
  const [version, iv, tag, ciphertext, ...rest] = envelope.split('.');
  if (
    version !== VERSION ||
    iv === undefined ||
    tag === undefined ||
    ciphertext === undefined ||
    rest.length > 0
  ) {
    throw new KeyDecryptionError(`signing key ${kid}: unknown envelope format`);
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(iv, 'base64url'), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(kid, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const clear = Buffer.concat([
      decipher.update(Buffer.from(ciphertext, 'base64url')),
      decipher.final(),
    ]);
    return JSON.parse(clear.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new KeyDecryptionError(
      `signing key ${kid} cannot be decrypted: the key-encryption key is not the one it was stored with (check M2M_KEY_ENCRYPTION_KEY / keyEncryptionKey).`,
    );
  }
}
