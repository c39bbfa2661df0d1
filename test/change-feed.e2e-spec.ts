import { DataSource } from 'typeorm';
import { RevocationList } from '../libs/m2m/src/revocation/revocation-list.service.js';
import { TypeOrmRevocationStore } from '../libs/m2m/src/persistence/revocation.store.js';
import { ChangeFeed } from '../libs/m2m/src/revocation/change-feed.service.js';
import { testDatabaseKind } from './support/database.js';
import { startServer, type TestServer } from './support/server.js';

// PostgreSQL only: ids of the feed come from a sequence, taken at insert, so two writers can
// commit out of id order. SQLite lets one transaction write at a time, so there ids follow
// commit order and this race cannot happen (TypeORM's SQLite driver even shares one connection,
// so two open write transactions cannot be set up at all).
const describeOnPostgres = testDatabaseKind() === 'postgres' ? describe : describe.skip;

describeOnPostgres('change feed on PostgreSQL: entries committed out of id order', () => {
  let server: TestServer;

  beforeAll(async () => {
    // No polling during the test: it reads the feed itself, step by step.
    server = await startServer({ m2m: { revocationRefreshMs: 60_000 } });
  });

  afterAll(async () => {
    await server.close();
    await server.database.drop();
  });

  const revocation = (jti: string) => ({
    kind: 'token' as const,
    subject: jti,
    minTokenVersion: null,
    createdAt: new Date(),
    expiresAt: new Date(Date.now() + 3600_000),
  });

  it('an entry whose transaction commits after a later entry was read is still applied', async () => {
    const dataSource = server.app.get(DataSource);
    const feed = server.app.get(ChangeFeed);
    const revoked = (jti: string) => server.app.get(RevocationList).isRevoked('c', 0, jti);
    const slow = dataSource.createQueryRunner();
    const fast = dataSource.createQueryRunner();
    try {
      await slow.startTransaction();
      const lowId = await TypeOrmRevocationStore.in(slow.manager).insert(revocation('jti-low'));
      await fast.startTransaction();
      const highId = await TypeOrmRevocationStore.in(fast.manager).insert(revocation('jti-high'));
      await fast.commitTransaction();
      expect(lowId).toBeLessThan(highId);

      await feed.refresh();
      expect([revoked('jti-high'), revoked('jti-low')]).toEqual([true, false]);

      await slow.commitTransaction();
      await feed.refresh();
      expect([revoked('jti-high'), revoked('jti-low')]).toEqual([true, true]);
    } finally {
      await slow.release();
      await fast.release();
    }
  });

  it('reads an entry applied once only, however often the feed returns it', async () => {
    const dataSource = server.app.get(DataSource);
    const feed = server.app.get(ChangeFeed);
    const changed: string[] = [];
    feed.onClientChange((clientId) => changed.push(clientId));
    // An open transaction holds the horizon back, so the entry below is returned by every read.
    const holder = dataSource.createQueryRunner();
    try {
      await holder.startTransaction();
      await holder.query('SELECT pg_current_xact_id()');
      await dataSource.transaction((manager) =>
        TypeOrmRevocationStore.in(manager).insert({
          ...revocation('c'),
          kind: 'client_changed',
          subject: 'm2mc_x',
        }),
      );
      await feed.refresh();
      await feed.refresh();
      await feed.refresh();
      expect(changed).toEqual(['m2mc_x']);
    } finally {
      await holder.rollbackTransaction();
      await holder.release();
    }
  });
});
