import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { M2M_RESOLVED_OPTIONS } from '../m2m.internal-constants.js';
import type { ResolvedM2mOptions } from '../m2m-options.js';
import { RevocationStore, type StoredRevocation } from '../persistence/revocation.store.js';

/** Expired entries are deleted from the feed at most this often. */
const PURGE_EVERY_MS = 5 * 60_000;

/** Version of a deleted client: every token it ever had is below it. */
export const DELETED_CLIENT_VERSION = 2_147_483_647;

/**
 * The revocations the guard checks, held in memory so that a protected request never waits on
 * the database: per client, the lowest token version still valid; and the revoked `jti`s.
 *
 * It is loaded at start-up, updated at once for revocations made by this instance, and
 * refreshed from the `m2m_revocations` feed every `revocationRefreshMs` for those made by other
 * instances. Entries leave the feed once every token they concern has expired.
 */
@Injectable()
export class RevocationList implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('M2mRevocations');
  private readonly clientVersions = new Map<string, { version: number; expiresAt: number }>();
  private readonly tokens = new Map<string, number>();
  private lastId = 0;
  private lastPurge = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: RevocationStore,
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

  /** Whether a token of `clientId` with this version and `jti` is revoked. O(1). */
  isRevoked(clientId: string, tokenVersion: number, jti: string, now = Date.now()): boolean {
    const client = this.clientVersions.get(clientId);
    if (client !== undefined && client.expiresAt > now && tokenVersion < client.version)
      return true;
    const tokenExpiry = this.tokens.get(jti);
    return tokenExpiry !== undefined && tokenExpiry > now;
  }

  /** Applies a revocation written by this instance, without waiting for the next refresh. */
  apply(revocation: Omit<StoredRevocation, 'id'>): void {
    const expiresAt = revocation.expiresAt.getTime();
    if (revocation.kind === 'token') {
      this.tokens.set(revocation.subject, expiresAt);
      return;
    }
    const known = this.clientVersions.get(revocation.subject);
    const version = revocation.minTokenVersion ?? DELETED_CLIENT_VERSION;
    if (known === undefined || known.version <= version) {
      this.clientVersions.set(revocation.subject, {
        version,
        expiresAt: Math.max(expiresAt, known?.expiresAt ?? 0),
      });
    }
  }

  /** Reads new entries of the feed and forgets expired ones. */
  async refresh(now = new Date()): Promise<void> {
    for (const entry of await this.store.since(this.lastId, now)) {
      this.apply(entry);
      this.lastId = Math.max(this.lastId, entry.id);
    }
    const cutoff = now.getTime();
    if (cutoff - this.lastPurge >= PURGE_EVERY_MS) {
      this.lastPurge = cutoff;
      await this.store.purge(now);
    }
    for (const [jti, expiresAt] of this.tokens) if (expiresAt <= cutoff) this.tokens.delete(jti);
    for (const [id, entry] of this.clientVersions)
      if (entry.expiresAt <= cutoff) this.clientVersions.delete(id);
  }

  private warn(error: Error): void {
    this.logger.warn(`Could not refresh the revocation list: ${error.message}`);
  }
}
