import { LessThan, MoreThan, type EntityManager, type Repository } from 'typeorm';
import { RevocationEntity } from './revocation.entity.js';

/** One entry of the revocation feed. */
export interface StoredRevocation {
  id: number;
  kind: 'token' | 'client';
  /** A token's `jti`, or a client id. */
  subject: string;
  /** For a client: tokens with a lower version are revoked. */
  minTokenVersion: number | null;
  createdAt: Date;
  expiresAt: Date;
}

/** Reads and writes `m2m_revocations`. */
export class RevocationStore {
  constructor(private readonly rows: Repository<RevocationEntity>) {}

  static in(manager: EntityManager): RevocationStore {
    return new RevocationStore(manager.getRepository(RevocationEntity));
  }

  async insert(revocation: Omit<StoredRevocation, 'id'>): Promise<void> {
    await this.rows.insert({ ...revocation });
  }

  /** Entries after `id` that have not expired, in feed order. */
  async since(id: number, now: Date): Promise<StoredRevocation[]> {
    const rows = await this.rows.find({
      where: { id: MoreThan(id), expiresAt: MoreThan(now) as never },
      order: { id: 'ASC' },
    });
    return rows.map((row) => ({ ...row, kind: row.kind as StoredRevocation['kind'] }));
  }

  /** Deletes entries that can no longer concern a valid token. */
  async purge(now: Date): Promise<void> {
    await this.rows.delete({ expiresAt: LessThan(now) as never });
  }
}
