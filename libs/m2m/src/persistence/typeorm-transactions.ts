import type { DataSource } from 'typeorm';
import type { M2mTransactions, TransactionStores } from '../stores/transactions.js';
import { TypeOrmAuditStore } from './audit.store.js';
import { TypeOrmClientStore } from './client.store.js';
import { TypeOrmRevocationStore } from './revocation.store.js';

/** Transactions of the TypeORM data source, with the TypeORM stores bound to each. */
export class TypeOrmTransactions implements M2mTransactions {
  constructor(private readonly dataSource: DataSource) {}

  async run<T>(work: (stores: TransactionStores) => Promise<T>): Promise<T> {
    const effects: (() => void)[] = [];
    const result = await this.dataSource.transaction((manager) =>
      work({
        clients: TypeOrmClientStore.in(manager),
        revocations: TypeOrmRevocationStore.in(manager),
        audit: TypeOrmAuditStore.in(manager),
        afterCommit: (effect) => effects.push(effect),
      }),
    );
    for (const effect of effects) effect();
    return result;
  }
}
