import type { CryptoKey } from 'jose';
import type { M2mSigningAlgorithm } from '../options/module-options.js';
import type { StoredSigningKey } from '../stores/signing-key-store.js';
import type { JwsSigner } from './jws-signer.js';

/** The key that signs new tokens. */
export interface ActiveSigningKey {
  kid: string;
  alg: M2mSigningAlgorithm;
  privateKey: CryptoKey;
  /** Signs an access token's claims: the whole compact JWS, header `typ: at+jwt` and `kid`. */
  sign: JwsSigner;
}

/** A signing key as the admin API shows it (public information only). */
export interface M2mSigningKeyView {
  kid: string;
  alg: string;
  status: StoredSigningKey['status'];
  createdAt: Date;
  activatedAt: Date | null;
  retiredAt: Date | null;
  expiresAt: Date | null;
}
