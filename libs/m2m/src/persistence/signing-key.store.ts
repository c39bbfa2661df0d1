import { LessThan, type Repository } from 'typeorm';
import { SigningKeyEntity } from './signing-key.entity.js';

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

/** Reads and writes `m2m_signing_keys`. */
export class SigningKeyStore {
  constructor(private readonly rows: Repository<SigningKeyEntity>) {}

  async insert(key: StoredSigningKey): Promise<void> {
    await this.rows.insert({ ...key });
  }

  /** Every key that may still verify tokens, oldest first. */
  async findAll(): Promise<StoredSigningKey[]> {
    const rows = await this.rows.find({ order: { createdAt: 'ASC', kid: 'ASC' } });
    return rows.map((row) => ({ ...row, status: row.status as StoredSigningKey['status'] }));
  }

  /**
   * Makes `nextKid` the active key and retires `currentKid`, in one transaction of conditional
   * updates: if another instance rotated first, nothing changes and it throws.
   */
  async promote(
    currentKid: string | null,
    nextKid: string,
    now: Date,
    retiredUntil: Date,
  ): Promise<void> {
    await this.rows.manager.transaction(async (manager) => {
      const rows = manager.getRepository(SigningKeyEntity);
      if (currentKid !== null) {
        const retired = await rows.update(
          { kid: currentKid, status: 'active' },
          { status: 'retired', retiredAt: now, expiresAt: retiredUntil },
        );
        if (retired.affected !== 1)
          throw new KeyRotationConflictError(`key ${currentKid} is no longer active`);
      }
      const promoted = await rows.update(
        { kid: nextKid, status: 'next' },
        { status: 'active', activatedAt: now },
      );
      if (promoted.affected !== 1)
        throw new KeyRotationConflictError(`key ${nextKid} is no longer next`);
    });
  }

  /** Retires every active key but `keepKid` (after a race at first start). */
  async retireOtherActive(keepKid: string, now: Date, retiredUntil: Date): Promise<void> {
    const others = (await this.rows.findBy({ status: 'active' })).filter(
      (row) => row.kid !== keepKid,
    );
    for (const row of others) {
      await this.rows.update(
        { kid: row.kid, status: 'active' },
        { status: 'retired', retiredAt: now, expiresAt: retiredUntil },
      );
    }
  }

  /** Drops retired keys whose last token has expired. */
  async deleteExpired(now: Date): Promise<void> {
    await this.rows.delete({ status: 'retired', expiresAt: LessThan(now) as never });
  }
}
