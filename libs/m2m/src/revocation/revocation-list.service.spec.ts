import { resolveM2mOptions } from '../m2m-options.js';
import type { RevocationStore, StoredRevocation } from '../persistence/revocation.store.js';
import { DELETED_CLIENT_VERSION, RevocationList } from './revocation-list.service.js';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const options = resolveM2mOptions({
  issuer: 'https://auth.example.com',
  keyEncryptionKey: Buffer.alloc(32),
  production: false,
});

function feed(entries: StoredRevocation[]) {
  const calls: number[] = [];
  const purges: number[] = [];
  const store = {
    since: async (id: number, now: Date) => {
      calls.push(id);
      return entries.filter((e) => e.id > id && e.expiresAt > now);
    },
    purge: async (now: Date) => void purges.push(now.getTime()),
  };
  return { store: store as unknown as RevocationStore, calls, purges };
}

const entry = (
  id: number,
  kind: 'token' | 'client',
  subject: string,
  minTokenVersion: number | null,
  ttl = 3600_000,
): StoredRevocation => ({
  id,
  kind,
  subject,
  minTokenVersion,
  createdAt: new Date(NOW),
  expiresAt: new Date(NOW + ttl),
});

describe('RevocationList', () => {
  it('revokes a client’s tokens below the version, not those at or above it', async () => {
    const list = new RevocationList(feed([entry(1, 'client', 'c1', 2)]).store, options);
    await list.refresh(new Date(NOW));
    expect(list.isRevoked('c1', 0, 'j', NOW)).toBe(true);
    expect(list.isRevoked('c1', 1, 'j', NOW)).toBe(true);
    expect(list.isRevoked('c1', 2, 'j', NOW)).toBe(false);
    expect(list.isRevoked('c2', 0, 'j', NOW)).toBe(false);
  });

  it('revokes every token of a deleted client', async () => {
    const list = new RevocationList(
      feed([entry(1, 'client', 'gone', DELETED_CLIENT_VERSION)]).store,
      options,
    );
    await list.refresh(new Date(NOW));
    expect(list.isRevoked('gone', 10_000, 'j', NOW)).toBe(true);
  });

  it('revokes single tokens by jti', async () => {
    const list = new RevocationList(feed([entry(1, 'token', 'jti-1', null)]).store, options);
    await list.refresh(new Date(NOW));
    expect(list.isRevoked('c1', 0, 'jti-1', NOW)).toBe(true);
    expect(list.isRevoked('c1', 0, 'jti-2', NOW)).toBe(false);
  });

  it('reads the feed incrementally, from the last entry seen', async () => {
    const { store, calls } = feed([entry(1, 'token', 'a', null), entry(2, 'token', 'b', null)]);
    const list = new RevocationList(store, options);
    await list.refresh(new Date(NOW));
    await list.refresh(new Date(NOW));
    expect(calls).toEqual([0, 2]);
  });

  it('forgets entries once every token they concern has expired', async () => {
    const list = new RevocationList(
      feed([entry(1, 'token', 'a', null, 1000), entry(2, 'client', 'c', 5, 1000)]).store,
      options,
    );
    await list.refresh(new Date(NOW));
    expect(list.isRevoked('c', 0, 'a', NOW + 999)).toBe(true);
    await list.refresh(new Date(NOW + 1000));
    expect(list.isRevoked('c', 0, 'a', NOW + 1000)).toBe(false);
  });

  it('deletes expired entries from the feed, at most every five minutes', async () => {
    const { store, purges } = feed([]);
    const list = new RevocationList(store, options);
    await list.refresh(new Date(NOW));
    await list.refresh(new Date(NOW + 60_000));
    await list.refresh(new Date(NOW + 300_000));
    expect(purges).toEqual([NOW, NOW + 300_000]);
  });

  it('applies local revocations at once, and never lowers a client’s version', () => {
    const list = new RevocationList(feed([]).store, options);
    const at = { createdAt: new Date(NOW), expiresAt: new Date(NOW + 60_000) };
    list.apply({ kind: 'client', subject: 'c', minTokenVersion: 3, ...at });
    list.apply({ kind: 'client', subject: 'c', minTokenVersion: 1, ...at });
    expect(list.isRevoked('c', 2, 'j', NOW)).toBe(true);
    expect(list.isRevoked('c', 3, 'j', NOW)).toBe(false);
  });
});
