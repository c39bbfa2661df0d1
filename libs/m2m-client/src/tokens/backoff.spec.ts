import { backoffDelay, parseRetryAfter } from './backoff.js';

const policy = { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 1000 };

describe('backoffDelay', () => {
  it('doubles the ceiling per retry and draws below it (full jitter)', () => {
    expect(backoffDelay(policy, 1, undefined, () => 0.5)).toBe(100);
    expect(backoffDelay(policy, 2, undefined, () => 0.5)).toBe(200);
    expect(backoffDelay(policy, 3, undefined, () => 0.5)).toBe(400);
    expect(backoffDelay(policy, 1, undefined, () => 0)).toBe(0);
    expect(backoffDelay(policy, 1, undefined, () => 0.999)).toBe(199);
  });

  it('never exceeds maxDelayMs', () => {
    expect(backoffDelay(policy, 10, undefined, () => 0.999)).toBe(999);
  });

  it('waits at least Retry-After', () => {
    expect(backoffDelay(policy, 1, 3000, () => 0.5)).toBe(3000);
    expect(backoffDelay(policy, 3, 10, () => 0.5)).toBe(400);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('5', now)).toBe(5000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP date relative to now, never negative', () => {
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:07 GMT', now)).toBe(7000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
  });

  it('ignores an absent or unreadable value', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});
