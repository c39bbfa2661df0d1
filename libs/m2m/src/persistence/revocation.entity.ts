import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { epochMs } from './epoch-ms.transformer.js';

/**
 * Row of `m2m_revocations`, an append-only feed the guards poll: a revoked token (`jti`) or a
 * client whose tokens below a version are revoked. Rows are purged once every token they could
 * concern has expired.
 */
@Entity({ name: 'm2m_revocations' })
@Index('idx_m2m_revocations_expires', ['expiresAt'])
export class RevocationEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  /** `token` or `client`. */
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
}
