import { TemporarilyUnavailableError } from '../errors/oauth.error.js';
import { resolveM2mOptions } from '../options/resolve-options.js';
import { SecretVerificationQueue } from './secret-verification-queue.js';

function queueWith(concurrency: number, maxQueued: number) {
  return new SecretVerificationQueue(
    resolveM2mOptions({
      issuer: 'https://auth.example.com',
      keyEncryptionKey: Buffer.alloc(32),
      production: false,
      secretVerification: { concurrency, maxQueued },
    }),
  );
}

/** Work that finishes when `release()` is called, and records when it started. */
function gate(log: string[], name: string) {
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  return {
    work: async () => {
      log.push(name);
      await done;
      return name;
    },
    release: () => release(),
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('SecretVerificationQueue', () => {
  it('runs at most `concurrency` verifications at once', async () => {
    const queue = queueWith(2, 10);
    const log: string[] = [];
    const [a, b, c] = ['a', 'b', 'c'].map((name) => gate(log, name));
    const runs = [a, b, c].map((g) => queue.run(g!.work));
    await tick();
    expect([log, queue.active, queue.depth]).toEqual([['a', 'b'], 2, 1]);
    a!.release();
    await tick();
    expect(log).toEqual(['a', 'b', 'c']);
    b!.release();
    c!.release();
    expect(await Promise.all(runs)).toEqual(['a', 'b', 'c']);
    expect([queue.active, queue.depth]).toEqual([0, 0]);
  });

  it('serves known sources first', async () => {
    const queue = queueWith(1, 10);
    const log: string[] = [];
    const first = gate(log, 'first');
    const runs = [queue.run(first.work)];
    const others = ['other-1', 'known-1', 'other-2', 'known-2'].map((name) => gate(log, name));
    runs.push(queue.run(others[0]!.work, 'other'));
    runs.push(queue.run(others[1]!.work, 'known'));
    runs.push(queue.run(others[2]!.work, 'other'));
    runs.push(queue.run(others[3]!.work, 'known'));
    first.release();
    for (const g of others) {
      await tick();
      g.release();
    }
    await Promise.all(runs);
    expect(log).toEqual(['first', 'known-1', 'known-2', 'other-1', 'other-2']);
  });

  it('refuses with 503 and Retry-After when `maxQueued` are waiting', async () => {
    const queue = queueWith(1, 1);
    const log: string[] = [];
    const [a, b] = [gate(log, 'a'), gate(log, 'b')];
    const runs = [queue.run(a.work), queue.run(b.work)];
    const refused = await queue.run(async () => 'c').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TemporarilyUnavailableError);
    expect(refused).toMatchObject({
      error: 'temporarily_unavailable',
      status: 503,
      retryAfterSeconds: 1,
      description: 'The server is busy; retry later.',
    });
    a.release();
    b.release();
    await Promise.all(runs);
  });

  it('frees the slot when the work fails', async () => {
    const queue = queueWith(1, 0);
    await expect(queue.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await queue.run(async () => 'next')).toBe('next');
    expect(queue.active).toBe(0);
  });
});
