import {
  LessThan,
  MoreThan,
  MoreThanOrEqual,
  type EntityManager,
  type FindOptionsWhere,
  type Repository,
} from 'typeorm';
import { RevocationEntity } from './revocation.entity.js';
import {
  RevocationStore,
  type ChangeKind,
  type StoredRevocation,
  type FeedPosition,
  type FeedBatch,
} from '../stores/revocation-store.js';

/** Reads and writes `m2m_revocations`, the change feed. */
export class TypeOrmRevocationStore implements RevocationStore {
  constructor(private readonly rows: Repository<RevocationEntity>) {}

  static in(manager: EntityManager): TypeOrmRevocationStore {
    return new TypeOrmRevocationStore(manager.getRepository(RevocationEntity));
  }

  async insert(revocation: Omit<StoredRevocation, 'id'>): Promise<number> {
    const result = await this.rows.insert({ ...revocation });
    return Number((result.identifiers[0] as { id: number | string }).id);
  }

  async read(position: FeedPosition, now: Date): Promise<FeedBatch> {
    if (this.rows.manager.connection.options.type !== 'postgres') {
      const entries = await this.find({ id: MoreThan(position.lastId) }, now);
      const lastId = entries.reduce((max, entry) => Math.max(max, entry.id), position.lastId);
      return { entries, position: { lastId, horizon: position.horizon } };
    }
    const [snapshot] = (await this.rows.query(
      'SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS horizon',
    )) as { horizon: string }[];
    const entries = await this.find({ txid: MoreThanOrEqual(position.horizon) }, now);
    return { entries, position: { lastId: position.lastId, horizon: snapshot!.horizon } };
  }

  async purge(now: Date): Promise<void> {
    await this.rows.delete({ expiresAt: LessThan(now) as never });
  }

  private async find(
    where: FindOptionsWhere<RevocationEntity>,
    now: Date,
  ): Promise<FeedBatch['entries']> {
    const rows = await this.rows.find({
      where: { ...where, expiresAt: MoreThan(now) as never },
      order: { id: 'ASC' },
    });
    return rows.map((row) => ({ ...row, kind: row.kind as ChangeKind }));
  }
}
