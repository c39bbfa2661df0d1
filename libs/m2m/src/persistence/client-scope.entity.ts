import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs } from './epoch-ms.transformer.js';

/**
 * Row of `m2m_client_scopes`: one per scope of a client, with the client's creation instant,
 * so that "clients with scope X, newest first" is an index range scan at any registry size.
 * Kept in step with `m2m_clients.scopes` by `ClientStore`.
 */
@Entity({ name: 'm2m_client_scopes' })
@Index('idx_m2m_client_scopes_scope', ['scope', 'createdAt', 'clientId'])
export class ClientScopeEntity {
  @PrimaryColumn({ name: 'client_id', type: 'varchar', length: 64 })
  clientId!: string;

  @PrimaryColumn({ type: 'varchar', length: 128 })
  scope!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: Date;
}
