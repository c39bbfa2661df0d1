import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { epochMs } from './epoch-ms.transformer.js';

/**
 * Row of `m2m_revocations`, the append-only change feed every instance polls: a revoked token
 * (`jti`), a client whose tokens below a version are revoked, or a client whose credentials or
 * state changed (cached copies must go). Rows are purged once nothing they concern can still be
 * valid or cached.
 */
@Entity({ name: 'm2m_revocations' })
@Index('idx_m2m_revocations_expires', ['expiresAt'])
export class RevocationEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  /** `token`, `client` or `client_changed`. */
  @Column({ type: 'varchar', length: 16 })
  kind!: string;

  /** The `jti` of a token, or a client id. */
  @Column({ type: 'varchar', length: 255 })
  subject!: string;

  /** For `client`: tokens with a lower `token_version` are revoked. */
  @Column({ name: 'min_token_version', type: 'integer', nullable: true })
  minTokenVersion!: number | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: Date;

  /** After this, no token it concerns can still be valid. */
  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMs })
  expiresAt!: Date;

  /**
   * PostgreSQL: the writing transaction's id, set by the database (never by an INSERT), which
   * the feed's readers use to see entries committed out of id order. Null on SQLite.
   */
  @Column({ name: 'txid', type: 'bigint', nullable: true, insert: false, update: false })
  txid!: string | null;
}
