import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber, epochMs } from './epoch-ms.transformer.js';

/** Row of `m2m_clients`. Never leaves `persistence/`. */
@Entity({ name: 'm2m_clients' })
@Index('idx_m2m_clients_created', ['createdAt', 'id'])
@Index('idx_m2m_clients_owner', ['ownerId', 'createdAt', 'id'])
@Index('idx_m2m_clients_name', ['name'])
@Index('idx_m2m_clients_expires', ['expiresAt'])
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

  /** Space-delimited resource URIs (RFC 8707) the client may request tokens for, or null. */
  @Column({ type: 'text', nullable: true })
  audiences!: string | null;

  /** JSON object, or null. */
  @Column({ type: 'text', nullable: true })
  metadata!: string | null;

  @Column({ type: 'varchar', length: 16 })
  status!: string;

  /** `client_secret` (Basic or post) or `private_key_jwt` (RFC 7523). */
  @Column({ name: 'auth_method', type: 'varchar', length: 32, default: 'client_secret' })
  authMethod!: string;

  /** The client's public keys (JWKS JSON) for private_key_jwt, or null. */
  @Column({ type: 'text', nullable: true })
  jwks!: string | null;

  @Column({ name: 'jwks_uri', type: 'varchar', length: 2000, nullable: true })
  jwksUri!: string | null;

  /** SHA-256 (hex) of the RFC 7592 registration access token of a dynamically registered client. */
  @Column({ name: 'registration_token_hash', type: 'varchar', length: 64, nullable: true })
  registrationTokenHash!: string | null;

  @Column({ name: 'secret_hash', type: 'varchar', length: 255 })
  secretHash!: string;

  @Column({ name: 'secret_hint', type: 'varchar', length: 16 })
  secretHint!: string;

  /** Null only for rows created before this column existed (backfilled from created_at). */
  @Column({ name: 'secret_created_at', type: 'bigint', nullable: true, transformer: epochMs })
  secretCreatedAt!: Date | null;

  @Column({ name: 'secret_last_used_at', type: 'bigint', nullable: true, transformer: epochMs })
  secretLastUsedAt!: Date | null;

  /** The second secret of a rotation in progress (both authenticate), or null. */
  @Column({ name: 'next_secret_hash', type: 'varchar', length: 255, nullable: true })
  nextSecretHash!: string | null;

  @Column({ name: 'next_secret_hint', type: 'varchar', length: 16, nullable: true })
  nextSecretHint!: string | null;

  @Column({ name: 'next_secret_created_at', type: 'bigint', nullable: true, transformer: epochMs })
  nextSecretCreatedAt!: Date | null;

  @Column({
    name: 'next_secret_last_used_at',
    type: 'bigint',
    nullable: true,
    transformer: epochMs,
  })
  nextSecretLastUsedAt!: Date | null;

  /** During a rotation: when the current secret stops authenticating on its own, or null. */
  @Column({ name: 'secret_expires_at', type: 'bigint', nullable: true, transformer: epochMs })
  secretExpiresAt!: Date | null;

  /** Tokens that carry a lower version are revoked (disable, rotation completed). */
  @Column({ name: 'token_version', type: 'integer', default: 0 })
  tokenVersion!: number;

  @Column({ name: 'owner_id', type: 'varchar', length: 200, nullable: true })
  ownerId!: string | null;

  @Column({ name: 'last_used_at', type: 'bigint', nullable: true, transformer: epochMs })
  lastUsedAt!: Date | null;

  @Column({ name: 'token_count', type: 'bigint', default: 0, transformer: bigintNumber })
  tokenCount!: number;

  @Column({ name: 'expires_at', type: 'bigint', nullable: true, transformer: epochMs })
  expiresAt!: Date | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs })
  updatedAt!: Date;
}
