/** An audit event as stored. `details` never holds a secret or a token. */
export interface StoredAuditEvent {
  id: number;
  occurredAt: Date;
  type: string;
  clientId: string | null;
  ownerId: string | null;
  actorType: string;
  actorId: string | null;
  details: Record<string, unknown> | null;
}

/** Position after which a page starts: keyset on (`occurred_at`, `id`), newest first. */
export interface AuditListPosition {
  occurredAt: Date;
  id: number;
}

/** Filter of {@link AuditStore.list}. */
export interface AuditListFilter {
  limit: number;
  after: AuditListPosition | null;
  type?: string;
  clientId?: string;
  ownerId?: string;
  actorId?: string;
  since?: Date;
  until?: Date;
}

/**
 * An event as the columns of its row, in INSERT order: occurred_at (epoch ms), type, client_id,
 * owner_id, actor_type, actor_id, details (JSON text or null). The token endpoint queues events
 * in this form: one small array per event, which is what the garbage collector copies while
 * the batch waits.
 */
export type AuditRow = [
  number,
  string,
  string | null,
  string | null,
  string,
  string | null,
  string | null,
];

/** The columns of an event's row. */
export function toAuditRow(event: Omit<StoredAuditEvent, 'id'>): AuditRow {
  return [
    event.occurredAt.getTime(),
    event.type,
    event.clientId,
    event.ownerId,
    event.actorType,
    event.actorId,
    event.details === null ? null : JSON.stringify(event.details),
  ];
}

/**
 * Appends, lists and purges audit events. The module's TypeORM implementation is `TypeOrmAuditStore`; another database or a cache
 * implements this contract.
 */
export abstract class AuditStore {
  /** Appends events. */
  abstract append(events: Omit<StoredAuditEvent, 'id'>[]): Promise<void>;
  /**
   * Appends rows with plain multi-row INSERTs: the token endpoint's batches hold hundreds of
   * rows, and building them through the query builder costs more than the database does.
   */
  abstract appendRows(rows: AuditRow[]): Promise<void>;
  /**
   * Deletes up to `limit` of the oldest events before `before`; returns how many it deleted.
   * Batches keep each statement short on a large table.
   */
  abstract purge(before: Date, limit: number): Promise<number>;
  abstract list(filter: AuditListFilter): Promise<StoredAuditEvent[]>;
}
