import { M2mMemoryRateLimitStorage } from './memory-rate-limit.storage.js';

describe('M2mMemoryRateLimitStorage', () => {
  afterEach(() => jest.restoreAllMocks());

  it('counts hits in a fixed window per key and throttler, and says when it ends', async () => {
    jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
    const storage = new M2mMemoryRateLimitStorage();
    await storage.increment('k', 60_000, 2, 60_000, 'a');
    await storage.increment('k', 60_000, 2, 60_000, 'a');
    await storage.increment('k', 60_000, 2, 60_000, 'b');
    jest.spyOn(Date, 'now').mockReturnValue(1_030_000);
    expect(await storage.increment('k', 60_000, 2, 60_000, 'a')).toEqual({
      totalHits: 3,
      timeToExpire: 30,
      isBlocked: true,
      timeToBlockExpire: 30,
    });
    jest.spyOn(Date, 'now').mockReturnValue(1_060_000);
    expect(await storage.increment('k', 60_000, 2, 60_000, 'a')).toMatchObject({
      totalHits: 1,
      isBlocked: false,
    });
  });

  it('holds at most maxKeys windows, whatever keys callers choose', async () => {
    const storage = new M2mMemoryRateLimitStorage(1000);
    for (let i = 0; i < 20_000; i++) await storage.increment(`client-${i}`, 60_000, 5, 60_000, 'f');
    const windows = (storage as unknown as { windows: { size: number } }).windows;
    expect(windows.size).toBe(1000);
  });
});
