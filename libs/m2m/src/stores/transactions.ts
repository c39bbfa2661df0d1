import type { AuditStore } from './audit-store.js';
import type { ClientStore } from './client-store.js';
import type { RevocationStore } from './revocation-store.js';

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
export abstract class M2mTransactions {
  abstract run<T>(work: (stores: TransactionStores) => Promise<T>): Promise<T>;
}
