import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import type { M2mSigningAlgorithm } from '../options/module-options.js';
import type { StoredSigningKey } from '../stores/signing-key-store.js';
import { sealPrivateJwk } from './key-encryption.js';

const GENERATE_OPTIONS: Record<M2mSigningAlgorithm, Parameters<typeof generateKeyPair>[1]> = {
  ES256: { extractable: true },
  EdDSA: { extractable: true, crv: 'Ed25519' },
  RS256: { extractable: true, modulusLength: 2048 },
  PS256: { extractable: true, modulusLength: 2048 },
};

/**
 * A new key pair of `alg`, ready to store: the kid is the public key's RFC 7638 thumbprint and
 * the private key is sealed under the key-encryption key.
 */
export async function generateSigningKey(
  alg: M2mSigningAlgorithm,
  status: StoredSigningKey['status'],
  keyEncryptionKey: Buffer,
  now: Date,
): Promise<StoredSigningKey> {
  const { publicKey, privateKey } = await generateKeyPair(alg, GENERATE_OPTIONS[alg]);
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
  return {
    kid,
    alg,
    status,
    publicJwk: JSON.stringify({ ...publicJwk, kid, alg, use: 'sig' }),
    privateJwkEncrypted: sealPrivateJwk(await exportJWK(privateKey), keyEncryptionKey, kid),
    createdAt: now,
    activatedAt: null,
    retiredAt: null,
    expiresAt: null,
  };
}
