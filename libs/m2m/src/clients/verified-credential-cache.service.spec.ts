import crypto from 'node:crypto';
import { fakeFeed } from '../__fixtures__/authenticator.js';
import { resolveM2mOptions } from '../options/resolve-options.js';
import { type M2mModuleOptions } from '../options/module-options.js';
import type { StoredClient } from '../domain/client.js';
import { generateClientSecret } from './client-secret.js';
import { VerifiedCredentialCache } from './verified-credential-cache.service.js';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const SECRET = generateClientSecret();
const OTHER = generateClientSecret();
const client = { clientId: 'm2mc_a', scopes: ['x'] } as unknown as StoredClient;

function cacheWith(overrides: Partial<M2mModuleOptions> = {}) {
  const feed = fakeFeed();
  const options = resolveM2mOptions({
    issuer: 'https://auth.example.com',
    keyEncryptionKey: Buffer.alloc(32),
    production: false,
    ...overrides,
  });
  return { cache: new VerifiedCredentialCache(feed, options), feed };
}

describe('VerifiedCredentialCache', () => {
  it('finds exactly the verified pair, with the client snapshot and which secret it is', () => {
    const { cache } = cacheWith();
    cache.remember(client, SECRET, 'current', cache.generation, NOW);
    expect(cache.lookup('m2mc_a', SECRET, NOW)).toEqual({ client, secret: 'current' });
    expect(cache.lookup('m2mc_a', OTHER, NOW)).toBeUndefined();
    expect(cache.lookup('m2mc_b', SECRET, NOW)).toBeUndefined();
  });

  it('keeps both secrets of a rotation, each with its name', () => {
    const { cache } = cacheWith();
    cache.remember(client, SECRET, 'current', cache.generation, NOW);
    cache.remember(client, OTHER, 'next', cache.generation, NOW);
    expect(cache.lookup('m2mc_a', SECRET, NOW)?.secret).toBe('current');
    expect(cache.lookup('m2mc_a', OTHER, NOW)?.secret).toBe('next');
  });

  it('holds no secret in memory, only keyed MACs (hash at rest, in memory too)', () => {
    const { cache } = cacheWith();
    cache.remember(client, SECRET, 'current', cache.generation, NOW);
    const seen = new Set<unknown>();
    const strings: string[] = [];
    const walk = (value: unknown): void => {
      if (value === null || typeof value !== 'object' || seen.has(value)) {
        if (typeof value === 'string') strings.push(value);
        return;
      }
      seen.add(value);
      if (value instanceof Map) {
        for (const [k, v] of value) {
          walk(k);
          walk(v);
        }
      } else if (Buffer.isBuffer(value))
        strings.push(value.toString('latin1'), value.toString('hex'));
      else for (const v of Object.values(value)) walk(v);
    };
    walk(cache);
    expect(strings.some((s) => s.includes(SECRET) || s.includes(SECRET.slice(5, 40)))).toBe(false);
    const unkeyed = crypto.createHash('sha256').update(`m2mc_a\0${SECRET}`).digest('hex');
    expect(strings).not.toContain(unkeyed);
  });

  it('compares MACs in constant time, against every stored one', () => {
    const { cache } = cacheWith();
    cache.remember(client, SECRET, 'current', cache.generation, NOW);
    cache.remember(client, OTHER, 'next', cache.generation, NOW);
    const compare = jest.spyOn(crypto, 'timingSafeEqual');
    try {
      cache.lookup('m2mc_a', SECRET, NOW);
      expect(compare).toHaveBeenCalledTimes(2);
    } finally {
      compare.mockRestore();
    }
  });

  it('forgets a client when the change feed says it changed', () => {
    const { cache, feed } = cacheWith();
    cache.remember(client, SECRET, 'current', cache.generation, NOW);
    feed.change('m2mc_a');
    expect(cache.lookup('m2mc_a', SECRET, NOW)).toBeUndefined();
  });

  it('does not cache a verification that overlapped a change (it read the old state)', () => {
    const { cache, feed } = cacheWith();
    const generation = cache.generation;
    feed.change('m2mc_other');
    cache.remember(client, SECRET, 'current', generation, NOW);
    expect(cache.lookup('m2mc_a', SECRET, NOW)).toBeUndefined();
  });

  it('expires entries after ttlSeconds', () => {
    const { cache } = cacheWith({ credentialCache: { ttlSeconds: 60 } });
    cache.remember(client, SECRET, 'current', cache.generation, NOW);
    expect(cache.lookup('m2mc_a', SECRET, NOW + 59_999)).toBeDefined();
    expect(cache.lookup('m2mc_a', SECRET, NOW + 60_000)).toBeUndefined();
  });

  it('holds at most maxEntries clients', () => {
    const { cache } = cacheWith({ credentialCache: { maxEntries: 100 } });
    for (let i = 0; i < 1000; i++) {
      const other = { ...client, clientId: `m2mc_${i}` };
      cache.remember(other, SECRET, 'current', cache.generation, NOW);
    }
    expect(cache.size).toBe(100);
  });

  it('caches nothing when turned off', () => {
    const { cache } = cacheWith({ credentialCache: false });
    cache.remember(client, SECRET, 'current', cache.generation, NOW);
    expect([cache.lookup('m2mc_a', SECRET, NOW), cache.size]).toEqual([undefined, 0]);
  });
});
