import { resolveM2mOptions } from '../options/resolve-options.js';
import { M2mMetrics } from '../metrics/m2m-metrics.js';
import type { AuditRow, AuditStore } from '../stores/audit-store.js';
import type { ClientUsage } from '../stores/client-store.js';
import type { M2mTransactions, TransactionStores } from '../stores/transactions.js';
import { AuditLog } from './audit-log.service.js';

const options = resolveM2mOptions({
  issuer: 'https://auth.example.com',
  keyEncryptionKey: Buffer.alloc(32),
  production: false,
});

const unavailable = () =>
  Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });

/**
 * A database for the audit writer. `failTransactions` transactions fail as unavailable;
 * `refuse(row)` makes the database refuse any batch holding that row (as PostgreSQL refuses a
 * NUL byte), whether written in a transaction or alone.
 */
function fakes(failTransactions = 0, refuse: (row: AuditRow) => boolean = () => false) {
  const written: AuditRow[][] = [];
  const usage: [string, ClientUsage][] = [];
  let failures = failTransactions;
  const appendRows = async (rows: AuditRow[]) => {
    if (rows.some(refuse)) {
      throw Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), {
        code: '22021',
      });
    }
    written.push(rows);
  };
  const transactions = {
    run: async (work: (stores: TransactionStores) => Promise<void>) => {
      if (failures-- > 0) throw unavailable();
      await work({
        clients: {
          addUsage: async (id: string, u: ClientUsage) => void usage.push([id, { ...u }]),
        },
        audit: { appendRows },
      } as unknown as TransactionStores);
    },
  } as unknown as M2mTransactions;
  const metrics = new (class extends M2mMetrics {
    dropped = 0;
    override auditEventsDropped(count: number): void {
      this.dropped += count;
    }
  })();
  const log = new AuditLog(transactions, { appendRows } as unknown as AuditStore, metrics, options);
  return { log, written, usage, metrics };
}

describe('AuditLog buffering of token-endpoint events', () => {
  it('does not write until flushed, then writes one batch with the usage', async () => {
    const { log, written, usage } = fakes();
    const at = new Date('2026-11-22T12:00:00Z');
    log.recordLater(
      { type: 'token.issued', clientId: 'c1', ownerId: null, actor: { type: 'client', id: 'c1' } },
      at,
    );
    log.countUsage('c1', 'current', at);
    log.countUsage('c1', 'next', new Date(at.getTime() + 1));
    expect(written).toEqual([]);
    await log.flush();
    expect(written).toHaveLength(1);
    // occurred_at, type, client_id, owner_id, actor_type, actor_id, details
    expect(written[0]).toEqual([[at.getTime(), 'token.issued', 'c1', null, 'client', 'c1', null]]);
    expect(usage).toEqual([
      [
        'c1',
        {
          tokens: 2,
          lastUsedAt: new Date(at.getTime() + 1),
          currentSecretUsedAt: at,
          nextSecretUsedAt: new Date(at.getTime() + 1),
        },
      ],
    ]);
    await log.flush();
    expect(written).toHaveLength(1);
  });

  it('keeps events and counts while the database is unavailable, and writes them with the next batch', async () => {
    const { log, written, usage } = fakes(2);
    log.recordLater({
      type: 'authentication.failed',
      clientId: 'x',
      ownerId: null,
      actor: { type: 'client', id: 'x' },
    });
    log.countUsage('c1', 'current');
    await log.flush();
    expect(written).toEqual([]);
    log.countUsage('c1', 'current');
    await log.flush();
    expect(written[0]!.map((row) => row[1])).toEqual(['authentication.failed']);
    expect(usage.map(([id, u]) => [id, u.tokens])).toEqual([['c1', 2]]);
  });

  it('serialises details as JSON for the details column', async () => {
    const { log, written } = fakes();
    log.recordLater({
      type: 'token.issued',
      clientId: 'c1',
      ownerId: 'org',
      actor: { type: 'client', id: 'c1' },
      details: { scope: 'a b', jti: 'j', secret: 'next' },
    });
    await log.flush();
    expect(written[0]![0]![6]).toBe('{"scope":"a b","jti":"j","secret":"next"}');
    expect(written[0]![0]![3]).toBe('org');
  });

  it('truncates attacker-controlled ids to the column sizes', async () => {
    const { log, written } = fakes();
    const long = 'x'.repeat(500);
    log.recordLater({
      type: 'authentication.failed',
      clientId: long,
      ownerId: null,
      actor: { type: 'client', id: long },
    });
    await log.flush();
    const [row] = written[0]!;
    expect([row![2]!.length, row![5]!.length]).toEqual([64, 200]);
  });

  it('one event the database refuses never holds the others back: it alone is dropped and counted', async () => {
    const { log, written, usage, metrics } = fakes(0, (row) => row[2] === 'poison');
    const event = (clientId: string) => ({
      type: 'authentication.failed' as const,
      clientId,
      ownerId: null,
      actor: { type: 'client' as const, id: clientId },
    });
    log.recordLater(event('a'));
    log.recordLater(event('poison'));
    log.recordLater(event('b'));
    log.countUsage('c1', 'current');
    await log.flush();
    expect(written.map((batch) => batch.map((row) => row[2]))).toEqual([['a'], ['b']]);
    expect(usage.map(([id]) => id)).toEqual(['c1']);
    expect(metrics.dropped).toBe(1);
    log.recordLater(event('c'));
    await log.flush();
    expect(written.at(-1)!.map((row) => row[2])).toEqual(['c']);
  });

  it('writes usage counters even when the events cannot be written', async () => {
    const { log, usage } = fakes(0, () => true);
    log.recordLater({
      type: 'token.issued',
      clientId: 'c1',
      ownerId: null,
      actor: { type: 'client', id: 'c1' },
    });
    log.countUsage('c1', 'next');
    await log.flush();
    expect(usage.map(([id, u]) => [id, u.tokens, u.nextSecretUsedAt !== null])).toEqual([
      ['c1', 1, true],
    ]);
  });

  it('makes caller-chosen text storable: U+0000 becomes U+FFFD', async () => {
    const { log, written } = fakes();
    log.recordLater({
      type: 'authentication.failed',
      clientId: 'a\u0000b',
      ownerId: null,
      actor: { type: 'client', id: 'a\u0000b' },
    });
    await log.flush();
    expect([written[0]![0]![2], written[0]![0]![5]]).toEqual(['a\ufffdb', 'a\ufffdb']);
  });
});
