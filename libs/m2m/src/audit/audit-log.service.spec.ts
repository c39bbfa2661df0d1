import { resolveM2mOptions } from '../m2m-options.js';
import type { AuditRow, AuditStore } from '../persistence/audit.store.js';
import type { ClientUsage } from '../persistence/client.store.js';
import type { M2mTransactions, TransactionStores } from '../persistence/m2m-transactions.js';
import { AuditLog } from './audit-log.service.js';

const options = resolveM2mOptions({
  issuer: 'https://auth.example.com',
  keyEncryptionKey: Buffer.alloc(32),
  production: false,
});

function fakes(failFirst = false) {
  const written: AuditRow[][] = [];
  const usage: [string, ClientUsage][] = [];
  let failures = failFirst ? 1 : 0;
  const transactions = {
    run: async (work: (stores: TransactionStores) => Promise<void>) => {
      if (failures-- > 0) throw new Error('database unavailable');
      await work({
        clients: {
          addUsage: async (id: string, u: ClientUsage) => void usage.push([id, { ...u }]),
        },
        audit: {
          appendRows: async (rows: AuditRow[]) => void written.push(rows),
        },
      } as unknown as TransactionStores);
    },
  } as unknown as M2mTransactions;
  return { log: new AuditLog(transactions, {} as AuditStore, options), written, usage };
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

  it('keeps events and counts when a write fails, and writes them with the next batch', async () => {
    const { log, written, usage } = fakes(true);
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
});
