import { resolveM2mOptions } from '../options/resolve-options.js';
import { type M2mModuleOptions } from '../options/module-options.js';
import type { TransactionStores } from '../stores/transactions.js';
import type {
  FeedBatch,
  FeedPosition,
  RevocationStore,
  StoredRevocation,
} from '../stores/revocation-store.js';
import { ChangeFeed, type M2mChange } from './change-feed.service.js';
import { RevocationList } from './revocation-list.service.js';

const NOW = new Date('2026-11-22T12:00:00Z');
const MINUTE = 60_000;

type Row = FeedBatch['entries'][number];

const row = (
  id: number,
  kind: Row['kind'],
  subject: string,
  version: number | null = null,
): Row => ({
  id,
  kind,
  subject,
  minTokenVersion: version,
  createdAt: NOW,
  expiresAt: new Date(NOW.getTime() + 60 * MINUTE),
  txid: null,
});

/** A store that answers reads from a script of batches, and records writes. */
function scriptedStore(batches: FeedBatch[]) {
  const positions: FeedPosition[] = [];
  const purges: number[] = [];
  const inserted: Omit<StoredRevocation, 'id'>[] = [];
  const store = {
    read: async (position: FeedPosition) => {
      positions.push(position);
      return batches.shift() ?? { entries: [], position };
    },
    purge: async (now: Date) => void purges.push(now.getTime()),
    insert: async (entry: Omit<StoredRevocation, 'id'>) => {
      inserted.push(entry);
      return 100 + inserted.length;
    },
  };
  return { store: store as unknown as RevocationStore, positions, purges, inserted };
}

function feedWith(batches: FeedBatch[], overrides: Partial<M2mModuleOptions> = {}) {
  const options = resolveM2mOptions({
    issuer: 'https://auth.example.com',
    keyEncryptionKey: Buffer.alloc(32),
    production: false,
    ...overrides,
  });
  const scripted = scriptedStore(batches);
  const revocations = new RevocationList();
  const feed = new ChangeFeed(scripted.store, revocations, options);
  const changed: string[] = [];
  feed.onClientChange((clientId) => changed.push(clientId));
  return { ...scripted, feed, revocations, changed };
}

/** A transaction whose after-commit effects run when `commit()` is called. */
function transaction(store: RevocationStore) {
  const effects: (() => void)[] = [];
  const stores = {
    revocations: store,
    afterCommit: (effect: () => void) => void effects.push(effect),
  } as unknown as TransactionStores;
  return { stores, commit: () => effects.forEach((effect) => effect()) };
}

const at = (position: Partial<FeedPosition>): FeedPosition => ({
  lastId: 0,
  horizon: '0',
  ...position,
});

describe('ChangeFeed', () => {
  it('applies revocations to the list and tells listeners which clients changed', async () => {
    const { feed, revocations, changed } = feedWith([
      {
        entries: [
          row(1, 'token', 'jti-1'),
          row(2, 'client', 'c1', 3),
          row(3, 'client_changed', 'c2'),
        ],
        position: at({ lastId: 3 }),
      },
    ]);
    await feed.refresh(NOW);
    expect(revocations.isRevoked('c1', 2, 'j', NOW.getTime())).toBe(true);
    expect(revocations.isRevoked('c1', 3, 'j', NOW.getTime())).toBe(false);
    expect(revocations.isRevoked('x', 0, 'jti-1', NOW.getTime())).toBe(true);
    expect(revocations.isRevoked('c2', 0, 'j', NOW.getTime())).toBe(false);
    expect(changed).toEqual(['c1', 'c2']);
  });

  it('reads on from the position the store returned', async () => {
    const { feed, positions } = feedWith([
      { entries: [row(1, 'token', 'a')], position: at({ lastId: 1, horizon: '700' }) },
    ]);
    await feed.refresh(NOW);
    await feed.refresh(NOW);
    expect(positions).toEqual([at({}), at({ lastId: 1, horizon: '700' })]);
  });

  it('applies an entry that a later read returns again only once (PostgreSQL re-reads)', async () => {
    const again = { ...row(5, 'client_changed', 'c1'), txid: '900' };
    const { feed, changed } = feedWith([
      { entries: [again], position: at({ horizon: '900' }) },
      { entries: [again], position: at({ horizon: '901' }) },
      { entries: [], position: at({ horizon: '905' }) },
    ]);
    await feed.refresh(NOW);
    await feed.refresh(NOW);
    await feed.refresh(NOW);
    expect(changed).toEqual(['c1']);
  });

  it('applies a published change when its transaction commits, and not again when read back', async () => {
    const { feed, store, inserted, changed, revocations } = feedWith([
      { entries: [row(101, 'client', 'c1', 1)], position: at({ lastId: 101 }) },
    ]);
    const tx = transaction(store);
    await feed.publish(tx.stores, { kind: 'client', clientId: 'c1', minTokenVersion: 1 }, NOW);
    expect([inserted.length, changed, revocations.isRevoked('c1', 0, 'j', NOW.getTime())]).toEqual([
      1,
      [],
      false,
    ]);
    tx.commit();
    expect([changed, revocations.isRevoked('c1', 0, 'j', NOW.getTime())]).toEqual([['c1'], true]);
    await feed.refresh(NOW);
    expect(changed).toEqual(['c1']);
  });

  it('applies nothing when the transaction rolls back', async () => {
    const { feed, store, changed } = feedWith([]);
    const tx = transaction(store);
    await feed.publish(tx.stores, { kind: 'client_changed', clientId: 'c1' }, NOW);
    expect(changed).toEqual([]);
  });

  it.each<[string, M2mChange, Partial<M2mModuleOptions>, number]>([
    [
      'a revoked token, without its expiry: the longest token life',
      { kind: 'token', jti: 'j' },
      {},
      60 * MINUTE + 5000,
    ],
    [
      'a revoked token, with its expiry',
      { kind: 'token', jti: 'j', expiresAt: new Date(NOW.getTime() + 5 * MINUTE) },
      {},
      5 * MINUTE,
    ],
    [
      'a client revocation: tokens and cached credentials',
      { kind: 'client', clientId: 'c', minTokenVersion: 1 },
      { credentialCache: { ttlSeconds: 7200 } },
      120 * MINUTE,
    ],
    [
      'a client revocation: at least the longest token life',
      { kind: 'client', clientId: 'c', minTokenVersion: 1 },
      { credentialCache: { ttlSeconds: 60 } },
      60 * MINUTE + 5000,
    ],
    [
      'a client change: as long as cached credentials live',
      { kind: 'client_changed', clientId: 'c' },
      { credentialCache: { ttlSeconds: 600 } },
      10 * MINUTE,
    ],
    [
      'a client change without a cache: a minute',
      { kind: 'client_changed', clientId: 'c' },
      { credentialCache: false },
      MINUTE,
    ],
  ])('keeps %s in the feed long enough', async (_name, change, options, lifetime) => {
    const { feed, store, inserted } = feedWith([], options);
    await feed.publish(transaction(store).stores, change, NOW);
    expect(inserted[0]!.expiresAt.getTime() - NOW.getTime()).toBe(lifetime);
  });

  it('deletes expired entries from the feed, at most every five minutes', async () => {
    const { feed, purges } = feedWith([]);
    await feed.refresh(NOW);
    await feed.refresh(new Date(NOW.getTime() + MINUTE));
    await feed.refresh(new Date(NOW.getTime() + 5 * MINUTE));
    expect(purges).toEqual([NOW.getTime(), NOW.getTime() + 5 * MINUTE]);
  });
});
