import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerRecord } from './throttler-record.js';

/** The one Redis command the storage needs; an ioredis or node-redis client fits. */
export interface M2mRedisEvalClient {
  eval(script: string, numberOfKeys: number, ...args: (string | number)[]): Promise<unknown>;
}

// Fixed window: the first hit starts the window; the count and its expiry live in one key, so
// every instance sharing the Redis server sees the same count. Atomic as a script.
const HIT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {hits, ttl}`;

/**
 * Rate-limit storage shared through Redis, for several instances of the authorization server
 * (the in-memory default counts per instance). Pass it as `rateLimit.storage`.
 *
 * @example
 * ```ts
 * rateLimit: { storage: new M2mRedisRateLimitStorage(new Redis(process.env.REDIS_URL)) }
 * ```
 */
export class M2mRedisRateLimitStorage implements ThrottlerStorage {
  constructor(
    private readonly redis: M2mRedisEvalClient,
    /** Prefix of the keys it writes. */
    private readonly prefix = 'm2m:rate:',
  ) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    _blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerRecord> {
    const reply = (await this.redis.eval(HIT, 1, `${this.prefix}${throttlerName}:${key}`, ttl)) as [
      number,
      number,
    ];
    const [totalHits, ttlMs] = reply;
    const seconds = Math.max(1, Math.ceil(ttlMs / 1000));
    const isBlocked = totalHits > limit;
    return {
      totalHits,
      timeToExpire: seconds,
      isBlocked,
      timeToBlockExpire: isBlocked ? seconds : 0,
    };
  }
}
