import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs } from './epoch-ms.transformer.js';

/** Row of `m2m_assertion_jtis`: a client assertion already used (RFC 7523 §3, single use). */
@Entity({ name: 'm2m_assertion_jtis' })
@Index('idx_m2m_assertion_jtis_expires', ['expiresAt'])
export class AssertionJtiEntity {
  @PrimaryColumn({ name: 'client_id', type: 'varchar', length: 64 })
  clientId!: string;

  @PrimaryColumn({ type: 'varchar', length: 255 })
  jti!: string;

  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMs })
  expiresAt!: Date;
}
