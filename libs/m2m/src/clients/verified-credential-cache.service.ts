import { Inject, Injectable } from '@nestjs/common';
import { createHmac, createSecretKey, randomBytes, timingSafeEqual } from 'node:crypto';
import { BoundedCache } from '../common/bounded-cache.js';
import { M2M_RESOLVED_OPTIONS } from '../m2m.internal-constants.js';
import type { ResolvedM2mOptions } from '../options/resolved-options.js';
import type { StoredClient } from '../domain/client.js';
import { ChangeFeed } from '../revocation/change-feed.service.js';

/** Which of a client's secrets a request presented. */
export type VerifiedSecret = 'current' | 'next';

interface CachedClient {
  /** The client as it was read when a secret of it was last verified. */
  client: StoredClient;
  /** Keyed MACs of the (client id, secret) pairs that passed the hasher. */
  verified: { mac: Buffer; secret: VerifiedSecret }[];
}

/**
 * The verified-credential cache: once a client id and secret have passed the secret hasher,
 * later requests with the same pair are checked against a keyed HMAC-SHA-256 in constant time,
 * and the client's state comes from the snapshot read then. A warm token request therefore
 * neither hashes nor reads the database.
 *
 * Threat model (see docs/security.md): the cache holds MACs under a random key that never leaves
 * this process, not secrets. Someone who can read the process memory learns the key and the
 * MACs; a 256-bit random secret cannot be recovered from them, and that person could read the
 * decrypted signing key from the same memory anyway, which lets them mint any token.
 *
 * Entries live `credentialCache.ttlSeconds` at most and are dropped as soon as anything about the
 * client changes (rotation, status, deletion, any update), at once on the instance that made the
 * change and within `revocationRefreshMs` on the others, through the change feed. A verification
 * that overlaps a change is not cached: every invalidation advances a generation, and
 * {@link remember} refuses a result that began in an older one.
 */
@Injectable()
export class VerifiedCredentialCache {
  private readonly key = createSecretKey(randomBytes(32));
  private readonly entries: BoundedCache<string, CachedClient>;
  private readonly ttlMs: number;
  private changes = 0;

  constructor(feed: ChangeFeed, @Inject(M2M_RESOLVED_OPTIONS) options: ResolvedM2mOptions) {
    const cache = options.credentialCache;
    this.entries = new BoundedCache(cache === false ? 0 : cache.maxEntries);
    this.ttlMs = cache === false ? 0 : cache.ttlSeconds * 1000;
    feed.onClientChange((clientId) => this.invalidate(clientId));
  }

  /** Advances with every invalidation; hand it to {@link remember}. */
  get generation(): number {
    return this.changes;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The client and which of its secrets this is, when exactly this pair was verified. */
  lookup(
    clientId: string,
    secret: string,
    now = Date.now(),
  ): { client: StoredClient; secret: VerifiedSecret } | undefined {
    const entry = this.entries.get(clientId, now);
    if (entry === undefined) return undefined;
    const mac = this.mac(clientId, secret);
    let found: VerifiedSecret | undefined;
    // Every stored MAC is compared, so the time does not depend on which one matched.
    for (const verified of entry.verified) {
      if (timingSafeEqual(verified.mac, mac)) found = verified.secret;
    }
    return found === undefined ? undefined : { client: entry.client, secret: found };
  }

  /**
   * Remembers a pair that just passed the hasher, with the client as read for that check, unless
   * the client changed since `generation` was taken (before the read).
   */
  remember(
    client: StoredClient,
    secret: string,
    which: VerifiedSecret,
    generation: number,
    now = Date.now(),
  ): void {
    if (generation !== this.changes || this.ttlMs === 0) return;
    const previous = this.entries.get(client.clientId, now);
    const verified = (previous?.verified ?? []).filter((entry) => entry.secret !== which);
    verified.push({ mac: this.mac(client.clientId, secret), secret: which });
    this.entries.set(client.clientId, { client, verified }, now + this.ttlMs, now);
  }

  /** Forgets what was verified for the client: its credentials or state changed. */
  invalidate(clientId: string): void {
    this.changes += 1;
    this.entries.delete(clientId);
  }

  private mac(clientId: string, secret: string): Buffer {
    return createHmac('sha256', this.key).update(`${clientId}\0${secret}`).digest();
  }
}
