import { Injectable } from '@nestjs/common';
import { Brackets, type Repository } from 'typeorm';
import { ClientEntity } from './client.entity.js';
import type {
  ClientListPosition,
  M2mClientMetadata,
  M2mClientStatus,
  StoredClient,
} from './stored-client.js';

/** Filter of {@link ClientStore.list}. */
export interface ClientListFilter {
  limit: number;
  after: ClientListPosition | null;
  status?: M2mClientStatus;
}

/** Fields {@link ClientStore.update} can change. */
export type ClientChanges = Partial<
  Pick<
    StoredClient,
    'clientName' | 'description' | 'scopes' | 'metadata' | 'status' | 'expiresAt' | 'updatedAt'
  >
>;

function toStored(row: ClientEntity): StoredClient {
  return {
    clientId: row.id,
    clientName: row.name,
    description: row.description,
    scopes: row.scopes === '' ? [] : row.scopes.split(' '),
    metadata: row.metadata === null ? null : (JSON.parse(row.metadata) as M2mClientMetadata),
    status: row.status as M2mClientStatus,
    secretHash: row.secretHash,
    secretHint: row.secretHint,
    expiresAt: row.expiresAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function toColumns(changes: ClientChanges): Partial<ClientEntity> {
  const columns: Partial<ClientEntity> = {};
  if (changes.clientName !== undefined) columns.name = changes.clientName;
  if (changes.description !== undefined) columns.description = changes.description;
  if (changes.scopes !== undefined) columns.scopes = changes.scopes.join(' ');
  if (changes.metadata !== undefined) {
    columns.metadata = changes.metadata === null ? null : JSON.stringify(changes.metadata);
  }
  if (changes.status !== undefined) columns.status = changes.status;
  if (changes.expiresAt !== undefined) columns.expiresAt = changes.expiresAt;
  if (changes.updatedAt !== undefined) columns.updatedAt = changes.updatedAt;
  return columns;
}

/** Reads and writes `m2m_clients`, mapping rows to {@link StoredClient}. */
@Injectable()
export class ClientStore {
  constructor(private readonly rows: Repository<ClientEntity>) {}

  async insert(client: StoredClient): Promise<void> {
    await this.rows.insert({
      id: client.clientId,
      name: client.clientName,
      description: client.description,
      scopes: client.scopes.join(' '),
      metadata: client.metadata === null ? null : JSON.stringify(client.metadata),
      status: client.status,
      secretHash: client.secretHash,
      secretHint: client.secretHint,
      expiresAt: client.expiresAt,
      createdAt: client.createdAt,
      updatedAt: client.updatedAt,
    });
  }

  async findById(clientId: string): Promise<StoredClient | null> {
    const row = await this.rows.findOneBy({ id: clientId });
    return row === null ? null : toStored(row);
  }

  /** Applies the changes and returns the updated client, or null when there is none. */
  async update(clientId: string, changes: ClientChanges): Promise<StoredClient | null> {
    const result = await this.rows.update({ id: clientId }, toColumns(changes));
    if (result.affected === 0) return null;
    return this.findById(clientId);
  }

  /** Deletes the client; false when there was none. */
  async delete(clientId: string): Promise<boolean> {
    const result = await this.rows.delete({ id: clientId });
    return (result.affected ?? 0) > 0;
  }

  /** Newest first, in a stable order: `created_at` then `client_id`, both descending. */
  async list(filter: ClientListFilter): Promise<StoredClient[]> {
    const query = this.rows
      .createQueryBuilder('c')
      .orderBy('c.createdAt', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .limit(filter.limit);
    if (filter.status !== undefined) {
      query.andWhere('c.status = :status', { status: filter.status });
    }
    const after = filter.after;
    if (after !== null) {
      const createdAt = after.createdAt.getTime();
      query.andWhere(
        new Brackets((q) =>
          q
            .where('c.createdAt < :createdAt', { createdAt })
            .orWhere('(c.createdAt = :createdAt AND c.id < :clientId)', {
              clientId: after.clientId,
            }),
        ),
      );
    }
    const rows = await query.getMany();
    return rows.map(toStored);
  }
}
