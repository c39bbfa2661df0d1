import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { resolveM2mOptions } from '../options/resolve-options.js';
import { type M2mRateLimitOptions } from '../options/module-options.js';
import { M2mMemoryRateLimitStorage } from '../rate-limit/memory-rate-limit.storage.js';
import { FailureBudget } from './failure-budget.service.js';

const NOW = Date.parse('2026-11-22T12:00:00Z');

function budgetWith(
  rateLimit: M2mRateLimitOptions | false = { failuresPerIp: 3, failuresPerClient: 2 },
  storage: ThrottlerStorage = new M2mMemoryRateLimitStorage(),
) {
  const options = resolveM2mOptions({
    issuer: 'https://auth.example.com',
    keyEncryptionKey: Buffer.alloc(32),
    production: false,
    rateLimit,
  });
  return new FailureBudget(storage, options);
}

let warned: jest.SpyInstance;
beforeEach(() => {
  warned = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
});
afterEach(() => warned.mockRestore());

describe('FailureBudget', () => {
  it('spends a client’s budget after failuresPerClient failures, from any address', async () => {
    const budget = budgetWith();
    expect(budget.standing('m2mc_a', '10.0.0.1', NOW)).toBe('open');
    await budget.recordFailure('m2mc_a', '10.0.0.1', NOW);
    expect(budget.standing('m2mc_a', '10.0.0.9', NOW)).toBe('open');
    await budget.recordFailure('m2mc_a', '10.0.0.2', NOW);
    expect(budget.standing('m2mc_a', '10.0.0.9', NOW)).toBe('client_spent');
    expect(budget.standing('m2mc_b', '10.0.0.9', NOW)).toBe('open');
  });

  it('spends an address’s budget after failuresPerIp failures, whatever the client ids', async () => {
    const budget = budgetWith();
    for (const id of ['m2mc_1', 'm2mc_2', 'm2mc_3'])
      await budget.recordFailure(id, '10.0.0.1', NOW);
    expect(budget.standing('m2mc_new', '10.0.0.1', NOW)).toBe('ip_spent');
    expect(budget.standing('m2mc_new', '10.0.0.2', NOW)).toBe('open');
  });

  it('opens again when the window ends', async () => {
    const budget = budgetWith({ failuresPerClient: 1, windowSeconds: 60 });
    await budget.recordFailure('m2mc_a', '10.0.0.1', NOW);
    expect(budget.standing('m2mc_a', '10.0.0.1', NOW + 59_000)).toBe('client_spent');
    expect(budget.standing('m2mc_a', '10.0.0.1', NOW + 60_000)).toBe('open');
  });

  it('lets a client through from an address it authenticated from (no lockout by attackers)', async () => {
    const budget = budgetWith({ failuresPerIp: 1, failuresPerClient: 1 });
    budget.recordSuccess('m2mc_a', '10.0.0.1', NOW);
    await budget.recordFailure('m2mc_a', '10.0.0.66', NOW);
    await budget.recordFailure('m2mc_x', '10.0.0.1', NOW);
    expect(budget.standing('m2mc_a', '10.0.0.1', NOW)).toBe('known');
    expect(budget.standing('m2mc_a', '10.0.0.2', NOW)).toBe('client_spent');
    expect(budget.standing('m2mc_b', '10.0.0.1', NOW)).toBe('ip_spent');
  });

  it('counts in the given storage, so that instances sharing it share the budgets', async () => {
    const storage = new M2mMemoryRateLimitStorage();
    const first = budgetWith({ failuresPerClient: 2 }, storage);
    const second = budgetWith({ failuresPerClient: 2 }, storage);
    await first.recordFailure('m2mc_a', '10.0.0.1', NOW);
    await second.recordFailure('m2mc_a', '10.0.0.2', NOW);
    expect([
      first.standing('m2mc_a', '10.0.0.3', NOW),
      second.standing('m2mc_a', '10.0.0.3', NOW),
    ]).toEqual(['open', 'client_spent']);
    // The first instance learns at its next failure: one more attempt at most.
    await first.recordFailure('m2mc_a', '10.0.0.1', NOW);
    expect(first.standing('m2mc_a', '10.0.0.3', NOW)).toBe('client_spent');
  });

  it('fails open, with a warning, when the storage is unreachable', async () => {
    const broken = { increment: async () => Promise.reject(new Error('ECONNREFUSED')) };
    const budget = budgetWith({ failuresPerClient: 1 }, broken);
    await budget.recordFailure('m2mc_a', '10.0.0.1', NOW);
    expect(budget.standing('m2mc_a', '10.0.0.1', NOW)).toBe('open');
    expect(warned).toHaveBeenCalledWith(
      'Rate-limit storage failed; failure not counted: ECONNREFUSED',
    );
  });

  it('logs a spent budget once, naming a client id only when it has the shape of one', async () => {
    const budget = budgetWith({ failuresPerClient: 1, failuresPerIp: 100 });
    const secretLike = 'm2ms_' + 'a'.repeat(49);
    await budget.recordFailure('m2mc_a', '10.0.0.1', NOW);
    await budget.recordFailure('m2mc_a', '10.0.0.1', NOW);
    await budget.recordFailure(secretLike, '10.0.0.1', NOW);
    expect(warned.mock.calls.map(([line]) => line)).toEqual([
      'Failure budget spent for client m2mc_a; its attempts are refused for 60 s',
      'Failure budget spent for an unknown client id; its attempts are refused for 60 s',
    ]);
  });

  it('applies no budget when rate limits are off, but still knows sources', async () => {
    const budget = budgetWith(false);
    await budget.recordFailure('m2mc_a', '10.0.0.1', NOW);
    await budget.recordFailure('m2mc_a', '10.0.0.1', NOW);
    expect(budget.standing('m2mc_a', '10.0.0.1', NOW)).toBe('open');
    budget.recordSuccess('m2mc_a', '10.0.0.1', NOW);
    expect(budget.standing('m2mc_a', '10.0.0.1', NOW)).toBe('known');
  });
});
