import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from './epoch-ms.transformer.js';

/** Row of `m2m_signing_keys`. The private JWK is stored encrypted, never in clear. */
@Entity({ name: 'm2m_signing_keys' })
export class SigningKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  kid!: string;

  @Column({ type: 'varchar', length: 16 })
  alg!: string;

  /** `next` keys are published before they sign; the one `active` key signs; `retired` keys only verify. */
  @Column({ type: 'varchar', length: 16 })
  status!: string;

  @Column({ name: 'public_jwk', type: 'text' })
  publicJwk!: string;

  /** AES-256-GCM envelope of the private JWK (see keys/key-encryption.ts). */
  @Column({ name: 'private_jwk_encrypted', type: 'text' })
  privateJwkEncrypted!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: Date;

  @Column({ name: 'activated_at', type: 'bigint', nullable: true, transformer: epochMs })
  activatedAt!: Date | null;

  @Column({ name: 'retired_at', type: 'bigint', nullable: true, transformer: epochMs })
  retiredAt!: Date | null;

  /** For a retired key: when the last token it signed has expired, so it can be dropped. */
  @Column({ name: 'expires_at', type: 'bigint', nullable: true, transformer: epochMs })
  expiresAt!: Date | null;
}
