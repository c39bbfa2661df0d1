import type { EntityManager, Repository } from 'typeorm';
import { AuditEventEntity } from './audit-event.entity.js';
import {
  AuditStore,
  toAuditRow,
  type StoredAuditEvent,
  type AuditListFilter,
  type AuditRow,
} from '../stores/audit-store.js';

const AUDIT_COLUMNS = 7;

/** Rows per INSERT statement: 7 parameters each, well under every driver's limit. */
const APPEND_CHUNK = 100;
const INSERT =
  'INSERT INTO m2m_audit_events (occurred_at, type, client_id, owner_id, actor_type, actor_id, details) VALUES';

/** Appends to and reads `m2m_audit_events`. There is no update and no delete. */
export class TypeOrmAuditStore implements AuditStore {
  constructor(private readonly rows: Repository<AuditEventEntity>) {}

  static in(manager: EntityManager): TypeOrmAuditStore {
    return new TypeOrmAuditStore(manager.getRepository(AuditEventEntity));
  }

  async append(events: Omit<StoredAuditEvent, 'id'>[]): Promise<void> {
    await this.appendRows(events.map(toAuditRow));
  }

  async appendRows(rows: AuditRow[]): Promise<void> {
    const postgres = this.rows.manager.connection.options.type === 'postgres';
    for (let start = 0; start < rows.length; start += APPEND_CHUNK) {
      const chunk = rows.slice(start, start + APPEND_CHUNK);
      const params = chunk.flat();
      const marks = chunk.map((_, row) => {
        const columns = Array.from({ length: AUDIT_COLUMNS }, (_c, i) =>
          postgres ? `$${row * AUDIT_COLUMNS + i + 1}` : '?',
        );
        return `(${columns.join(', ')})`;
      });
      await this.rows.query(`${INSERT} ${marks.join(', ')}`, params);
    }
  }

  async purge(before: Date, limit: number): Promise<number> {
    const postgres = this.rows.manager.connection.options.type === 'postgres';
    const mark = (n: number) => (postgres ? `$${n}` : '?');
    const own = this.rows.manager.queryRunner === undefined;
    const runner =
      this.rows.manager.queryRunner ?? this.rows.manager.connection.createQueryRunner();
    try {
      const result = await runner.query(
        `DELETE FROM m2m_audit_events WHERE id IN (SELECT id FROM m2m_audit_events WHERE occurred_at < ${mark(1)} ORDER BY occurred_at LIMIT ${mark(2)})`,
        [before.getTime(), limit],
        true,
      );
      return Number((result as { affected?: number }).affected ?? 0);
    } finally {
      if (own) await runner.release();
    }
  }

  async list(filter: AuditListFilter): Promise<StoredAuditEvent[]> {
    // By occurrence: buffered token-endpoint events are written after they happen.
    const query = this.rows
      .createQueryBuilder('e')
      .orderBy('e.occurredAt', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .limit(filter.limit);
    const after = filter.after;
    if (after !== null) {
      query.andWhere('(e.occurred_at, e.id) < (:occurredAt, :id)', {
        occurredAt: after.occurredAt.getTime(),
        id: after.id,
      });
    }
    if (filter.type !== undefined) query.andWhere('e.type = :type', { type: filter.type });
    if (filter.clientId !== undefined)
      query.andWhere('e.clientId = :clientId', { clientId: filter.clientId });
    if (filter.ownerId !== undefined)
      query.andWhere('e.ownerId = :ownerId', { ownerId: filter.ownerId });
    if (filter.actorId !== undefined)
      query.andWhere('e.actorId = :actorId', { actorId: filter.actorId });
    if (filter.since !== undefined)
      query.andWhere('e.occurredAt >= :since', { since: filter.since.getTime() });
    if (filter.until !== undefined)
      query.andWhere('e.occurredAt < :until', { until: filter.until.getTime() });
    const rows = await query.getMany();
    return rows.map((row) => ({
      ...row,
      id: Number(row.id),
      details: row.details === null ? null : (JSON.parse(row.details) as Record<string, unknown>),
    }));
  }
}
