import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { TooManyRequestsError } from '../errors/oauth.error.js';
import { resolveM2mOptions } from '../options/resolve-options.js';
import { type M2mRateLimitOptions } from '../options/module-options.js';
import { M2mMemoryRateLimitStorage } from '../rate-limit/memory-rate-limit.storage.js';
import { IssuanceQuota } from './issuance-quota.service.js';

function quotaWith(
  rateLimit: M2mRateLimitOptions | false,
  storage: ThrottlerStorage = new M2mMemoryRateLimitStorage(),
) {
  const options = resolveM2mOptions({
    issuer: 'https://auth.example.com',
    keyEncryptionKey: Buffer.alloc(32),
    production: false,
    rateLimit,
  });
  return new IssuanceQuota(storage, options);
}

describe('IssuanceQuota', () => {
  it('lets `limit` tokens through per client and window, then 429 with Retry-After', async () => {
    const quota = quotaWith({ issuanceQuota: { limit: 2, windowSeconds: 30 } });
    await quota.consume('m2mc_a');
    await quota.consume('m2mc_a');
    await quota.consume('m2mc_b');
    const refused = await quota.consume('m2mc_a').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TooManyRequestsError);
    expect(refused).toMatchObject({
      status: 429,
      error: 'temporarily_unavailable',
      description: 'Too many requests; retry later.',
      retryAfterSeconds: 30,
      detail: 'client m2mc_a is past its issuance quota',
    });
  });

  it.each([
    ['no quota', {}],
    ['rate limits off', false],
  ] as const)('counts nothing with %s', async (_name, rateLimit) => {
    const storage = { increment: jest.fn() };
    const quota = quotaWith(rateLimit, storage);
    for (let i = 0; i < 5; i++) await quota.consume('m2mc_a');
    expect(storage.increment).not.toHaveBeenCalled();
  });

  it('fails open when the storage is unreachable', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const broken = { increment: () => Promise.reject(new Error('timeout')) };
      const quota = quotaWith({ issuanceQuota: { limit: 1 } }, broken);
      await quota.consume('m2mc_a');
      await quota.consume('m2mc_a');
      expect(warn).toHaveBeenCalledWith('Rate-limit storage failed; quota not counted: timeout');
    } finally {
      warn.mockRestore();
    }
  });
});
