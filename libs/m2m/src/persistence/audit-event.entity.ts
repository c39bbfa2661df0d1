import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { epochMs } from './epoch-ms.transformer.js';

/** Row of `m2m_audit_events`, an append-only log. It never holds a secret or a token. */
@Entity({ name: 'm2m_audit_events' })
@Index('idx_m2m_audit_occurred', ['occurredAt', 'id'])
@Index('idx_m2m_audit_client', ['clientId', 'occurredAt', 'id'])
@Index('idx_m2m_audit_type', ['type', 'occurredAt', 'id'])
@Index('idx_m2m_audit_owner', ['ownerId', 'occurredAt', 'id'])
export class AuditEventEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'occurred_at', type: 'bigint', transformer: epochMs })
  occurredAt!: Date;

  @Column({ type: 'varchar', length: 40 })
  type!: string;

  @Column({ name: 'client_id', type: 'varchar', length: 64, nullable: true })
  clientId!: string | null;

  @Column({ name: 'owner_id', type: 'varchar', length: 200, nullable: true })
  ownerId!: string | null;

  /** `admin`, `owner`, `client`, `cli` or `system`. */
  @Column({ name: 'actor_type', type: 'varchar', length: 16 })
  actorType!: string;

  @Column({ name: 'actor_id', type: 'varchar', length: 200, nullable: true })
  actorId!: string | null;

  /** JSON object with event details, or null. */
  @Column({ type: 'text', nullable: true })
  details!: string | null;
}
