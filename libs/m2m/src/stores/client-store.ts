import type { M2mClientStatus, StoredClient, StoredNextSecret } from '../domain/client.js';

/** Position after which a list page starts (keyset pagination on `created_at`, `client_id`). */
export interface ClientListPosition {
  createdAt: Date;
  clientId: string;
}

/** Filter of {@link ClientStore.list}; every member narrows the result. */
export interface ClientListFilter {
  limit: number;
  after: ClientListPosition | null;
  status?: M2mClientStatus;
  ownerId?: string;
  /** Clients allowed this scope. */
  scope?: string;
  /** Clients whose name starts with this (case-sensitive). */
  namePrefix?: string;
  /** Clients that expire at or before this instant. */
  expiresBefore?: Date;
}

/** Fields {@link ClientStore.update} can change. */
export type ClientChanges = Partial<
  Pick<
    StoredClient,
    | 'clientName'
    | 'description'
    | 'scopes'
    | 'audiences'
    | 'metadata'
    | 'status'
    | 'expiresAt'
    | 'updatedAt'
    | 'jwks'
    | 'jwksUri'
  >
>;

/** Usage to add to a client: counts and last-use instants. */
export interface ClientUsage {
  tokens: number;
  lastUsedAt: Date;
  /** When the current secret / the rotation's next secret last authenticated. */
  currentSecretUsedAt: Date | null;
  nextSecretUsedAt: Date | null;
}

/**
 * Reads and writes clients. The module's TypeORM implementation is `TypeOrmClientStore`; another database or a cache
 * implements this contract.
 */
export abstract class ClientStore {
  abstract insert(client: StoredClient): Promise<void>;
  abstract findById(clientId: string): Promise<StoredClient | null>;
  /**
   * Applies the changes and returns the updated client, or null when there is none. A status
   * change to `disabled` also bumps the token version, which revokes the client's tokens.
   */
  abstract update(clientId: string, changes: ClientChanges): Promise<StoredClient | null>;
  /** Deletes the client; false when there was none. */
  abstract delete(clientId: string): Promise<boolean>;
  /**
   * Starts a rotation unless one is in progress or the client is not active: one conditional
   * UPDATE, so two concurrent starts cannot both succeed. True when it started.
   */
  abstract startRotation(
    clientId: string,
    next: Omit<StoredNextSecret, 'lastUsedAt'>,
    currentExpiresAt: Date | null,
  ): Promise<boolean>;
  /**
   * Promotes the next secret to current and bumps the token version. Conditional on a rotation
   * being in progress; true when it was.
   */
  abstract completeRotation(clientId: string, now: Date): Promise<boolean>;
  /** Discards the next secret; true when a rotation was in progress. */
  abstract cancelRotation(clientId: string, now: Date): Promise<boolean>;
  /** Adds usage counts; last-use instants only move forward. */
  abstract addUsage(clientId: string, usage: ClientUsage): Promise<void>;
  /** Newest first, in a stable order: `created_at` then `client_id`, both descending. */
  abstract list(filter: ClientListFilter): Promise<StoredClient[]>;
}
