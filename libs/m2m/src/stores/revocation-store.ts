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

/**
 * The change feed: revocations and client changes, in commit order. The module's TypeORM implementation is `TypeOrmRevocationStore`; another database or a cache
 * implements this contract.
 */
export abstract class RevocationStore {
  /** Appends an entry; returns its id. */
  abstract insert(revocation: Omit<StoredRevocation, 'id'>): Promise<number>;
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
  abstract read(position: FeedPosition, now: Date): Promise<FeedBatch>;
  /** Deletes entries that can no longer concern a valid token or a cached client. */
  abstract purge(now: Date): Promise<void>;
}
