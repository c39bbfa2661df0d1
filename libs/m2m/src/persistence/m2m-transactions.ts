import type { DataSource } from 'typeorm';
import { AuditStore } from './audit.store.js';
import { ClientStore } from './client.store.js';
import { RevocationStore } from './revocation.store.js';

/** The stores, bound to one transaction. */
export interface TransactionStores {
  clients: ClientStore;
  revocations: RevocationStore;
  audit: AuditStore;
  /** Runs `effect` once the transaction has committed (never if it rolls back). */
  afterCommit(effect: () => void): void;
}

/**
 * Runs work in one database transaction: a client change, its audit event and its revocation
 * entry are written together or not at all.
 */
export class M2mTransactions {
  constructor(private readonly dataSource: DataSource) {}

  async run<T>(work: (stores: TransactionStores) => Promise<T>): Promise<T> {
    const effects: (() => void)[] = [];
    const result = await this.dataSource.transaction((manager) =>
      work({
        clients: ClientStore.in(manager),
        revocations: RevocationStore.in(manager),
        audit: AuditStore.in(manager),
        afterCommit: (effect) => effects.push(effect),
      }),
    );
    for (const effect of effects) effect();
    return result;
  }
}
