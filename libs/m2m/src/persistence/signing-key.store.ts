import { LessThan, type Repository } from 'typeorm';
import { SigningKeyEntity } from './signing-key.entity.js';
import {
  SigningKeyStore,
  type StoredSigningKey,
  KeyRotationConflictError,
} from '../stores/signing-key-store.js';

/** Reads and writes `m2m_signing_keys`. */
export class TypeOrmSigningKeyStore implements SigningKeyStore {
  constructor(private readonly rows: Repository<SigningKeyEntity>) {}

  async insert(key: StoredSigningKey): Promise<void> {
    await this.rows.insert({ ...key });
  }

  async findAll(): Promise<StoredSigningKey[]> {
    const rows = await this.rows.find({ order: { createdAt: 'ASC', kid: 'ASC' } });
    return rows.map((row) => ({ ...row, status: row.status as StoredSigningKey['status'] }));
  }

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

  async deleteExpired(now: Date): Promise<void> {
    await this.rows.delete({ status: 'retired', expiresAt: LessThan(now) as never });
  }
}
