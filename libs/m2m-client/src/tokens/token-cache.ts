import type { IssuedToken, TokenRequest } from './token-request.js';

/** When a cached token stops being served, and when its successor is fetched. */
export interface CacheTiming {
  expirySkewMs: number;
  refreshAheadMs: number;
  defaultExpiresInMs: number;
  /** The wait after the first failed background refresh; it doubles up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

interface CachedToken {
  accessToken: string;
  /** From here on, a background refresh starts. */
  refreshAt: number;
  /** From here on, the token is never handed out. */
  expiresAt: number;
}

interface Entry {
  token: CachedToken | undefined;
  /** The one request in flight for this key, which every caller shares. */
  pending: Promise<CachedToken> | undefined;
  failedRefreshes: number;
  /** No background refresh starts before this time (after failed ones). */
  nextRefreshAt: number;
}

/** The cache key: the resource and the set of scopes, in any order. */
export function cacheKey(request: TokenRequest): string {
  const scopes = [...new Set(request.scopes)].sort().join(' ');
  return `${request.resource ?? ''}\u0000${scopes}`;
}

/**
 * Tokens per (resource, scopes), with one request in flight per key however many callers wait,
 * and a refresh in the background before a token expires while it is still served.
 *
 * Lifetimes count from when the request was sent, using the relative `expires_in`, so neither
 * the server's clock nor the time on the wire can make a token outlive its `exp`.
 */
export class TokenCache {
  private entries = new Map<string, Entry>();

  constructor(
    private readonly timing: CacheTiming,
    private readonly fetchToken: (request: TokenRequest) => Promise<IssuedToken>,
  ) {}

  /** A token for the request: the cached one while it is fresh, else the shared new one. */
  async get(request: TokenRequest): Promise<string> {
    const key = cacheKey(request);
    let entry = this.entries.get(key);
    if (entry === undefined) {
      entry = { token: undefined, pending: undefined, failedRefreshes: 0, nextRefreshAt: 0 };
      this.entries.set(key, entry);
    }
    const now = Date.now();
    const token = entry.token;
    if (token !== undefined && now < token.expiresAt) {
      if (now >= token.refreshAt && entry.pending === undefined && now >= entry.nextRefreshAt) {
        // Failures are kept for the next caller's own request once the token has expired.
        this.start(entry, request).catch(() => undefined);
      }
      return token.accessToken;
    }
    return (await (entry.pending ?? this.start(entry, request))).accessToken;
  }

  /**
   * Drops the cached token of the request if it is still `stale` (a newer one, fetched by
   * another caller meanwhile, stays).
   */
  drop(request: TokenRequest, stale: string): void {
    const entry = this.entries.get(cacheKey(request));
    if (entry?.token?.accessToken === stale) entry.token = undefined;
  }

  /** Forgets every token; requests in flight still answer their callers but are not cached. */
  clear(): void {
    this.entries = new Map();
  }

  private start(entry: Entry, request: TokenRequest): Promise<CachedToken> {
    const sentAt = Date.now();
    const pending = this.fetchToken(request).then(
      (issued) => {
        const token = this.cached(issued, sentAt);
        if (this.entries.get(cacheKey(request)) === entry) {
          entry.token = token;
          entry.failedRefreshes = 0;
          entry.nextRefreshAt = 0;
        }
        return token;
      },
      (error: unknown) => {
        entry.failedRefreshes += 1;
        const wait = Math.min(
          this.timing.maxDelayMs,
          this.timing.baseDelayMs * 2 ** (entry.failedRefreshes - 1),
        );
        entry.nextRefreshAt = Date.now() + wait;
        throw error;
      },
    );
    entry.pending = pending;
    const settle = () => {
      if (entry.pending === pending) entry.pending = undefined;
    };
    pending.then(settle, settle);
    return pending;
  }

  private cached(issued: IssuedToken, sentAt: number): CachedToken {
    const lifetime = issued.expiresInMs ?? this.timing.defaultExpiresInMs;
    const usable = lifetime - Math.min(this.timing.expirySkewMs, lifetime / 4);
    const ahead = Math.min(this.timing.refreshAheadMs, usable / 2);
    return {
      accessToken: issued.accessToken,
      refreshAt: sentAt + usable - ahead,
      expiresAt: sentAt + usable,
    };
  }
}
