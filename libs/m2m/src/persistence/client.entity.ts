import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs } from './epoch-ms.transformer.js';

/** Row of `m2m_clients`. Never leaves `persistence/`. */
@Entity({ name: 'm2m_clients' })
@Index('idx_m2m_clients_created', ['createdAt', 'id'])
export class ClientEntity {
  @PrimaryColumn({ name: 'client_id', type: 'varchar', length: 64 })
  id!: string;

  @Column({ name: 'client_name', type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  description!: string | null;

  /** Space-delimited scope tokens; a scope token cannot contain a space (RFC 6749 §3.3). */
  @Column({ type: 'text' })
  scopes!: string;

  /** JSON object, or null. */
  @Column({ type: 'text', nullable: true })
  metadata!: string | null;

  @Column({ type: 'varchar', length: 16 })
  status!: string;

  @Column({ name: 'secret_hash', type: 'varchar', length: 255 })
  secretHash!: string;

  @Column({ name: 'secret_hint', type: 'varchar', length: 16 })
  secretHint!: string;

  @Column({ name: 'expires_at', type: 'bigint', nullable: true, transformer: epochMs })
  expiresAt!: Date | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs })
  updatedAt!: Date;
}
