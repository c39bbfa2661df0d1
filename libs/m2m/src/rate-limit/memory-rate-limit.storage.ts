import type { ThrottlerStorage } from '@nestjs/throttler';
import { BoundedCache } from '../common/bounded-cache.js';
import type { ThrottlerRecord } from './throttler-record.js';

/**
 * The default rate-limit storage: fixed windows in process memory, per instance. Unlike a map
 * with a timer per key, it holds at most `maxKeys` windows, the least recently counted leaving
 * first, so attacker-chosen keys (client ids, addresses) cannot grow it without bound.
 */
export class M2mMemoryRateLimitStorage implements ThrottlerStorage {
  private readonly windows: BoundedCache<string, { hits: number; resetAt: number }>;

  constructor(maxKeys = 100_000) {
    this.windows = new BoundedCache(maxKeys);
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    _blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerRecord> {
    const now = Date.now();
    const id = `${throttlerName}:${key}`;
    const window = this.windows.get(id, now) ?? { hits: 0, resetAt: now + ttl };
    window.hits += 1;
    this.windows.set(id, window, window.resetAt, now);
    const seconds = Math.max(1, Math.ceil((window.resetAt - now) / 1000));
    const isBlocked = window.hits > limit;
    return {
      totalHits: window.hits,
      timeToExpire: seconds,
      isBlocked,
      timeToBlockExpire: isBlocked ? seconds : 0,
    };
  }
}
