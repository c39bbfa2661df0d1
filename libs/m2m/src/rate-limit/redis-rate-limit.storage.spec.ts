import { M2mRedisRateLimitStorage, type M2mRedisEvalClient } from './redis-rate-limit.storage.js';

/** Answers the script like Redis would, for a fixed window, and records the calls. */
function fakeRedis(replies: [number, number][]): M2mRedisEvalClient & { calls: unknown[][] } {
  const calls: unknown[][] = [];
  return {
    calls,
    eval: async (...args: unknown[]) => {
      calls.push(args);
      return replies.shift();
    },
  };
}

describe('M2mRedisRateLimitStorage', () => {
  it('keys the count by prefix, throttler name and key, with the window in milliseconds', async () => {
    const redis = fakeRedis([[1, 60_000]]);
    await new M2mRedisRateLimitStorage(redis).increment(
      'm2m-token:10.0.0.1',
      60_000,
      3,
      60_000,
      'm2m-token',
    );
    expect(redis.calls).toHaveLength(1);
    const [script, keys, key, ttl] = redis.calls[0]!;
    expect(script).toContain("redis.call('INCR', KEYS[1])");
    expect([keys, key, ttl]).toEqual([1, 'm2m:rate:m2m-token:m2m-token:10.0.0.1', 60_000]);
  });

  it('allows up to the limit and blocks past it until the window ends', async () => {
    const storage = new M2mRedisRateLimitStorage(
      fakeRedis([
        [3, 59_001],
        [4, 1_500],
      ]),
      'p:',
    );
    expect(await storage.increment('k', 60_000, 3, 60_000, 't')).toEqual({
      totalHits: 3,
      timeToExpire: 60,
      isBlocked: false,
      timeToBlockExpire: 0,
    });
    expect(await storage.increment('k', 60_000, 3, 60_000, 't')).toEqual({
      totalHits: 4,
      timeToExpire: 2,
      isBlocked: true,
      timeToBlockExpire: 2,
    });
  });
});
