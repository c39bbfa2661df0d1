import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { M2M_RESOLVED_OPTIONS } from '../m2m.internal-constants.js';
import { tokensIssuedAtGoneBy, type ResolvedM2mOptions } from '../options/resolved-options.js';
import type { TransactionStores } from '../stores/transactions.js';
import {
  FEED_START,
  RevocationStore,
  type FeedPosition,
  type StoredRevocation,
} from '../stores/revocation-store.js';
import { RevocationList } from './revocation-list.service.js';

/** Expired entries are deleted from the feed at most this often. */
const PURGE_EVERY_MS = 5 * 60_000;
/** A client change must stay in the feed at least this long, even without caches. */
const MIN_CHANGE_LIFETIME_MS = 60_000;
/** Own entries remembered until read back; more only if the feed cannot be read for long. */
const OWN_MAX = 10_000;

/** A change to publish to every instance. */
export type M2mChange =
  /** The token with this `jti` is revoked; `expiresAt` is the token's own expiry when known. */
  | { kind: 'token'; jti: string; expiresAt?: Date }
  /** The client's tokens below `minTokenVersion` are revoked; its credentials changed too. */
  | { kind: 'client'; clientId: string; minTokenVersion: number }
  /** The client's credentials or state changed; nothing is revoked. */
  | { kind: 'client_changed'; clientId: string };

type Entry = Omit<StoredRevocation, 'id'>;

/**
 * The change feed (`m2m_revocations`): how revocations and client changes reach every instance.
 *
 * A change is written in the transaction of the change itself and applied on this instance as
 * soon as it commits; other instances read the feed every `revocationRefreshMs`. Applying an
 * entry updates the revocation list the guard checks and tells the listeners (the
 * verified-credential cache) which client changed. Applying is idempotent, so reading an entry
 * twice is harmless; the store guarantees no entry is skipped (see `RevocationStore.read`).
 */
@Injectable()
export class ChangeFeed implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('M2mRevocations');
  private readonly listeners: ((clientId: string) => void)[] = [];
  private position: FeedPosition = FEED_START;
  /** Ids read whose transaction is not older than the horizon, so may be returned again. */
  private readonly recent = new Map<number, bigint>();
  /** Ids this instance wrote and applied already, until the feed returns them. */
  private readonly own = new Set<number>();
  private lastPurge = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: RevocationStore,
    private readonly revocations: RevocationList,
    @Inject(M2M_RESOLVED_OPTIONS) private readonly options: ResolvedM2mOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.refresh();
  }

  /** Polls only once the whole application started: a failed start leaves no timer behind. */
  onApplicationBootstrap(): void {
    this.timer = setInterval(
      () => void this.refresh().catch((error: Error) => this.warn(error)),
      this.options.revocationRefreshMs,
    );
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Calls `listener` with the id of every client whose credentials or state changed. */
  onClientChange(listener: (clientId: string) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Writes a change in the caller's transaction; this instance applies it once the transaction
   * commits (never if it rolls back), the others at their next read of the feed.
   */
  async publish(stores: TransactionStores, change: M2mChange, now = new Date()): Promise<void> {
    const entry = this.entryOf(change, now);
    const id = await stores.revocations.insert(entry);
    stores.afterCommit(() => {
      this.apply(entry);
      this.own.add(id);
      if (this.own.size > OWN_MAX) this.own.delete(this.own.values().next().value as number);
    });
  }

  /** Reads new entries of the feed, applies them and forgets expired ones. */
  async refresh(now = new Date()): Promise<void> {
    const batch = await this.store.read(this.position, now);
    for (const entry of batch.entries) {
      if (this.recent.has(entry.id)) continue;
      if (entry.txid !== null) this.recent.set(entry.id, BigInt(entry.txid));
      // Applied when it committed here; applying it again would only drop fresh cache entries.
      if (!this.own.delete(entry.id)) this.apply(entry);
    }
    this.position = batch.position;
    const horizon = BigInt(batch.position.horizon);
    for (const [id, txid] of this.recent) if (txid < horizon) this.recent.delete(id);
    if (now.getTime() - this.lastPurge >= PURGE_EVERY_MS) {
      this.lastPurge = now.getTime();
      await this.store.purge(now);
    }
    this.revocations.prune(now.getTime());
  }

  private apply(entry: Entry): void {
    const expiresAt = entry.expiresAt.getTime();
    if (entry.kind === 'token') return this.revocations.revokeToken(entry.subject, expiresAt);
    if (entry.kind === 'client') {
      this.revocations.revokeClientTokens(entry.subject, entry.minTokenVersion ?? 0, expiresAt);
    }
    for (const listener of this.listeners) listener(entry.subject);
  }

  /** The entry for a change, kept as long as a token or a cached credential could need it. */
  private entryOf(change: M2mChange, now: Date): Entry {
    const at = now.getTime();
    // Every token issued before now has expired by then.
    const tokensGone = tokensIssuedAtGoneBy(this.options, at);
    const cache = this.options.credentialCache;
    const cachesGone =
      at + Math.max(cache === false ? 0 : cache.ttlSeconds * 1000, MIN_CHANGE_LIFETIME_MS);
    const base = { createdAt: now, minTokenVersion: null };
    switch (change.kind) {
      case 'token':
        return {
          ...base,
          kind: 'token',
          subject: change.jti,
          expiresAt: change.expiresAt ?? new Date(tokensGone),
        };
      case 'client':
        return {
          ...base,
          kind: 'client',
          subject: change.clientId,
          minTokenVersion: change.minTokenVersion,
          expiresAt: new Date(Math.max(tokensGone, cachesGone)),
        };
      case 'client_changed':
        return {
          ...base,
          kind: 'client_changed',
          subject: change.clientId,
          expiresAt: new Date(cachesGone),
        };
    }
  }

  private warn(error: Error): void {
    this.logger.warn(`Could not refresh the revocation list: ${error.message}`);
  }
}
