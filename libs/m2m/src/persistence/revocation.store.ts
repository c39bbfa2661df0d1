import {
  LessThan,
  MoreThan,
  MoreThanOrEqual,
  type EntityManager,
  type FindOptionsWhere,
  type Repository,
} from 'typeorm';
import { RevocationEntity } from './revocation.entity.js';

/** Kinds of change feed entries. */
export type ChangeKind = 'token' | 'client' | 'client_changed';

/** One entry of the change feed. */
export interface StoredRevocation {
  id: number;
  /**
   * `token`: the token with this `jti` is revoked. `client`: the client's tokens below
   * `minTokenVersion` are revoked (and its credentials changed). `client_changed`: the client's
   * credentials or state changed; nothing is revoked.
   */
  kind: ChangeKind;
  /** A token's `jti`, or a client id. */
  subject: string;
  /** For a client: tokens with a lower version are revoked. */
  minTokenVersion: number | null;
  createdAt: Date;
  expiresAt: Date;
}

/**
 * Where a reader of the feed stands. `lastId` on SQLite; on PostgreSQL, `horizon`: the oldest
 * transaction that was still running at the previous read.
 */
export interface FeedPosition {
  lastId: number;
  horizon: string;
}

/** A batch of the feed: entries to apply, and the position to read from next. */
export interface FeedBatch {
  /** New entries, in id order; on PostgreSQL some may have been read before (apply is idempotent). */
  entries: (StoredRevocation & { txid: string | null })[];
  position: FeedPosition;
}

/** Where to start reading: from the beginning. */
export const FEED_START: FeedPosition = { lastId: 0, horizon: '0' };

/** Reads and writes `m2m_revocations`, the change feed. */
export class RevocationStore {
  constructor(private readonly rows: Repository<RevocationEntity>) {}

  static in(manager: EntityManager): RevocationStore {
    return new RevocationStore(manager.getRepository(RevocationEntity));
  }

  /** Appends an entry; returns its id. */
  async insert(revocation: Omit<StoredRevocation, 'id'>): Promise<number> {
    const result = await this.rows.insert({ ...revocation });
    return Number((result.identifiers[0] as { id: number | string }).id);
  }

  /**
   * Entries written since `position` that have not expired.
   *
   * Ids are taken when a row is inserted, not when its transaction commits. On PostgreSQL two
   * writers can commit out of id order, so "id greater than the last one seen" would skip an
   * entry whose transaction committed after a later one was read. Instead each read first takes
   * the oldest transaction still running (the snapshot's xmin) and returns every entry whose
   * writing transaction is not older than the previous read's. An entry that a read did not see
   * was written by a transaction that was running or not yet begun at that read, so its id is at
   * least that read's horizon and the next read returns it. Entries can be returned twice.
   *
   * SQLite lets one transaction write at a time, from its first write to its commit, so ids
   * follow commit order there and the last id seen is enough.
   */
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

  /** Deletes entries that can no longer concern a valid token or a cached client. */
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
