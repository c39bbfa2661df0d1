import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { BoundedCache } from '../common/bounded-cache.js';
import { M2M_RATE_LIMIT_STORAGE } from '../m2m.constants.js';
import { M2M_RESOLVED_OPTIONS } from '../m2m.internal-constants.js';
import type { ResolvedM2mOptions, ResolvedRateLimit } from '../options/resolved-options.js';

/** Where an authentication attempt stands before any secret is verified. */
export type BudgetStanding =
  /** This client authenticated from this address recently: no budget applies, and it goes first. */
  'known' | 'open' | 'ip_spent' | 'client_spent';

/** A (client, address) pair that authenticated is trusted this long. */
const KNOWN_SOURCE_TTL_MS = 24 * 3600_000;
const KNOWN_SOURCES_MAX = 50_000;
const KNOWN_SOURCE_RENEW_MS = 60_000;
/** Budgets spent, remembered locally so that a refusal needs no round trip to the storage. */
const SPENT_MAX = 100_000;
/** Keys are cut to this length: a source address is not attacker-chosen, but bound it anyway. */
const KEY_MAX = 128;
/** The shape of the client ids this server issues. */
const CLIENT_ID_SHAPE = /^m2mc_[A-Za-z0-9_-]{1,64}$/;

/**
 * Failure budgets of client authentication, per source address and per claimed client id.
 *
 * Only failures count, in the rate-limit storage (shared through Redis when configured). When a
 * count reaches its budget, the key is remembered here as spent until its window ends, and
 * later attempts are refused before any secret verification. With several instances, each lets
 * at most one more attempt through per key before it learns that the shared budget is spent.
 *
 * Lockout abuse: an attacker who spends a client's budget must not lock the client out. A client
 * whose secret is in the verified-credential cache never reaches this check. A client that
 * authenticated from an address within the last 24 hours is `known` there: its attempts from
 * that address skip both budgets and go first in the verification queue. Spent budgets only
 * last until the end of their window.
 */
@Injectable()
export class FailureBudget {
  private readonly logger = new Logger('M2mRateLimit');
  private readonly limits: ResolvedRateLimit | false;
  private readonly spent = new BoundedCache<string, true>(SPENT_MAX);
  /** (client, address) pairs that authenticated, with when that was last recorded. */
  private readonly knownSources = new BoundedCache<string, number>(KNOWN_SOURCES_MAX);

  constructor(
    @Inject(M2M_RATE_LIMIT_STORAGE) private readonly storage: ThrottlerStorage,
    @Inject(M2M_RESOLVED_OPTIONS) options: ResolvedM2mOptions,
  ) {
    this.limits = options.rateLimit;
  }

  /** Whether an attempt for `clientId` from `source` may go on to a secret verification. */
  standing(clientId: string, source: string, now = Date.now()): BudgetStanding {
    if (this.knownSources.get(sourceKey(clientId, source), now) !== undefined) return 'known';
    if (this.limits === false) return 'open';
    if (this.spent.get(ipKey(source), now) === true) return 'ip_spent';
    if (this.spent.get(clientKey(clientId), now) === true) return 'client_spent';
    return 'open';
  }

  /** Counts a failed authentication against both budgets. */
  async recordFailure(clientId: string, source: string, now = Date.now()): Promise<void> {
    const limits = this.limits;
    if (limits === false) return;
    await Promise.all([
      this.count(ipKey(source), limits.failuresPerIp, limits, now),
      this.count(clientKey(clientId), limits.failuresPerClient, limits, now),
    ]);
  }

  /** Remembers that the client authenticated from this address (for 24 hours). */
  recordSuccess(clientId: string, source: string, now = Date.now()): void {
    const key = sourceKey(clientId, source);
    const since = this.knownSources.get(key, now);
    // Warm requests repeat this on every token: renew at most once a minute.
    if (since === undefined || now - since >= KNOWN_SOURCE_RENEW_MS) {
      this.knownSources.set(key, now, now + KNOWN_SOURCE_TTL_MS, now);
    }
  }

  private async count(
    key: string,
    budget: number,
    limits: ResolvedRateLimit,
    now: number,
  ): Promise<void> {
    const windowMs = limits.windowSeconds * 1000;
    try {
      const record = await this.storage.increment(key, windowMs, budget, windowMs, 'm2m-failures');
      if (record.totalHits >= budget && this.spent.get(key, now) === undefined) {
        this.spent.set(key, true, now + record.timeToExpire * 1000, now);
        this.logger.warn(
          `Failure budget spent for ${describeKey(key)}; its attempts are refused for ${record.timeToExpire} s`,
        );
      }
    } catch (error) {
      // Fail open: an unreachable rate-limit store must not take authentication down with it.
      this.logger.warn(
        `Rate-limit storage failed; failure not counted: ${(error as Error).message}`,
      );
    }
  }
}

/** A key for the log: an address, or a client id when it has the shape of one (never a secret). */
function describeKey(key: string): string {
  if (key.startsWith('ip:')) return `address ${key.slice(3).replace(/[^0-9A-Fa-f.:]/g, '?')}`;
  return key.startsWith('client:')
    ? `client ${key.slice('client:'.length)}`
    : 'an unknown client id';
}

function ipKey(source: string): string {
  return `ip:${source.slice(0, KEY_MAX)}`;
}

/**
 * The storage key of a claimed client id. Ids of the issued shape are kept readable; anything
 * else (possibly a secret sent in the wrong field) is stored only as a hash.
 */
function clientKey(clientId: string): string {
  if (CLIENT_ID_SHAPE.test(clientId)) return `client:${clientId}`;
  return `client#${createHash('sha256').update(clientId).digest('base64url').slice(0, 32)}`;
}

function sourceKey(clientId: string, source: string): string {
  return `${clientId.slice(0, KEY_MAX)}\n${source}`;
}
