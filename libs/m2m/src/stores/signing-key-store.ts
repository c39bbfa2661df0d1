/** A signing key as stored: the public JWK in clear, the private JWK encrypted. */
export interface StoredSigningKey {
  kid: string;
  alg: string;
  status: 'next' | 'active' | 'retired';
  publicJwk: string;
  privateJwkEncrypted: string;
  createdAt: Date;
  activatedAt: Date | null;
  retiredAt: Date | null;
  expiresAt: Date | null;
}

/** Another instance changed the active key first. */
export class KeyRotationConflictError extends Error {
  override readonly name = 'KeyRotationConflictError';
}

/**
 * The signing keys, encrypted at rest. The module's TypeORM implementation is `TypeOrmSigningKeyStore`; another database or a cache
 * implements this contract.
 */
export abstract class SigningKeyStore {
  abstract insert(key: StoredSigningKey): Promise<void>;
  /** Every key that may still verify tokens, oldest first. */
  abstract findAll(): Promise<StoredSigningKey[]>;
  /**
   * Makes `nextKid` the active key and retires `currentKid`, in one transaction of conditional
   * updates: if another instance rotated first, nothing changes and it throws.
   */
  abstract promote(
    currentKid: string | null,
    nextKid: string,
    now: Date,
    retiredUntil: Date,
  ): Promise<void>;
  /** Retires every active key but `keepKid` (after a race at first start). */
  abstract retireOtherActive(keepKid: string, now: Date, retiredUntil: Date): Promise<void>;
  /** Drops retired keys whose last token has expired. */
  abstract deleteExpired(now: Date): Promise<void>;
}
