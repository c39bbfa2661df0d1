import type { EntityManager, Repository } from 'typeorm';
import { ClientEntity } from './client.entity.js';
import { ClientScopeEntity } from './client-scope.entity.js';
import type { StoredClient, StoredNextSecret } from '../domain/client.js';
import { nextPrefix, toColumns, toStored } from './client.mapping.js';
import {
  ClientStore,
  type ClientListFilter,
  type ClientChanges,
  type ClientUsage,
} from '../stores/client-store.js';

/** Reads and writes `m2m_clients`, mapping rows to {@link StoredClient}. */
export class TypeOrmClientStore implements ClientStore {
  constructor(
    private readonly rows: Repository<ClientEntity>,
    private readonly scopeRows: Repository<ClientScopeEntity>,
  ) {}

  /** The same store bound to a transaction's entity manager. */
  static in(manager: EntityManager): TypeOrmClientStore {
    return new TypeOrmClientStore(
      manager.getRepository(ClientEntity),
      manager.getRepository(ClientScopeEntity),
    );
  }

  /** Writes the client's rows of the scope index (call inside the client's transaction). */
  private async indexScopes(clientId: string, scopes: string[], createdAt: Date): Promise<void> {
    await this.scopeRows.delete({ clientId });
    if (scopes.length > 0) {
      await this.scopeRows.insert(scopes.map((scope) => ({ clientId, scope, createdAt })));
    }
  }

  async insert(client: StoredClient): Promise<void> {
    await this.rows.insert({
      id: client.clientId,
      name: client.clientName,
      description: client.description,
      scopes: client.scopes.join(' '),
      audiences: client.audiences.join(' '),
      metadata: client.metadata === null ? null : JSON.stringify(client.metadata),
      status: client.status,
      ownerId: client.ownerId,
      authMethod: client.authMethod,
      jwks: client.jwks === null ? null : JSON.stringify(client.jwks),
      jwksUri: client.jwksUri,
      registrationTokenHash: client.registrationTokenHash,
      secretHash: client.secretHash,
      secretHint: client.secretHint,
      secretCreatedAt: client.secretCreatedAt,
      secretLastUsedAt: null,
      secretExpiresAt: null,
      nextSecretHash: null,
      nextSecretHint: null,
      nextSecretCreatedAt: null,
      nextSecretLastUsedAt: null,
      tokenVersion: client.tokenVersion,
      expiresAt: client.expiresAt,
      lastUsedAt: null,
      tokenCount: 0,
      createdAt: client.createdAt,
      updatedAt: client.updatedAt,
    });
    await this.indexScopes(client.clientId, client.scopes, client.createdAt);
  }

  async findById(clientId: string): Promise<StoredClient | null> {
    // No id holds U+0000, which PostgreSQL would refuse in the query itself.
    if (clientId.includes('\u0000')) return null;
    const row = await this.rows.findOneBy({ id: clientId });
    return row === null ? null : toStored(row);
  }

  async update(clientId: string, changes: ClientChanges): Promise<StoredClient | null> {
    const query = this.rows
      .createQueryBuilder()
      .update(ClientEntity)
      .set(toColumns(changes))
      .where('client_id = :clientId', { clientId });
    if (changes.status === 'disabled') {
      query.set({ ...toColumns(changes), tokenVersion: () => 'token_version + 1' });
    }
    const result = await query.execute();
    if (result.affected === 0) return null;
    const updated = await this.findById(clientId);
    if (updated !== null && changes.scopes !== undefined) {
      await this.indexScopes(clientId, updated.scopes, updated.createdAt);
    }
    return updated;
  }

  async delete(clientId: string): Promise<boolean> {
    await this.scopeRows.delete({ clientId });
    const result = await this.rows.delete({ id: clientId });
    return (result.affected ?? 0) > 0;
  }

  async startRotation(
    clientId: string,
    next: Omit<StoredNextSecret, 'lastUsedAt'>,
    currentExpiresAt: Date | null,
  ): Promise<boolean> {
    const result = await this.rows
      .createQueryBuilder()
      .update(ClientEntity)
      .set({
        nextSecretHash: next.hash,
        nextSecretHint: next.hint,
        nextSecretCreatedAt: next.createdAt,
        nextSecretLastUsedAt: null,
        secretExpiresAt: currentExpiresAt,
        updatedAt: next.createdAt,
      })
      .where('client_id = :clientId', { clientId })
      .andWhere('next_secret_hash IS NULL')
      .andWhere("status = 'active'")
      .execute();
    return result.affected === 1;
  }

  async completeRotation(clientId: string, now: Date): Promise<boolean> {
    const result = await this.rows
      .createQueryBuilder()
      .update(ClientEntity)
      .set({
        secretHash: () => 'next_secret_hash',
        secretHint: () => 'next_secret_hint',
        secretCreatedAt: () => 'next_secret_created_at',
        secretLastUsedAt: () => 'next_secret_last_used_at',
        secretExpiresAt: null,
        nextSecretHash: null,
        nextSecretHint: null,
        nextSecretCreatedAt: null,
        nextSecretLastUsedAt: null,
        tokenVersion: () => 'token_version + 1',
        updatedAt: now,
      })
      .where('client_id = :clientId', { clientId })
      .andWhere('next_secret_hash IS NOT NULL')
      .execute();
    return result.affected === 1;
  }

  async cancelRotation(clientId: string, now: Date): Promise<boolean> {
    const result = await this.rows
      .createQueryBuilder()
      .update(ClientEntity)
      .set({
        nextSecretHash: null,
        nextSecretHint: null,
        nextSecretCreatedAt: null,
        nextSecretLastUsedAt: null,
        secretExpiresAt: null,
        updatedAt: now,
      })
      .where('client_id = :clientId', { clientId })
      .andWhere('next_secret_hash IS NOT NULL')
      .execute();
    return result.affected === 1;
  }

  async addUsage(clientId: string, usage: ClientUsage): Promise<void> {
    const set: Record<string, unknown> = {
      tokenCount: () => `token_count + ${Math.trunc(usage.tokens)}`,
      lastUsedAt: usage.lastUsedAt,
    };
    if (usage.currentSecretUsedAt !== null) set['secretLastUsedAt'] = usage.currentSecretUsedAt;
    if (usage.nextSecretUsedAt !== null) {
      // Only while that rotation is still in progress.
      set['nextSecretLastUsedAt'] = () =>
        `CASE WHEN next_secret_hash IS NULL THEN NULL ELSE ${usage.nextSecretUsedAt!.getTime()} END`;
    }
    await this.rows
      .createQueryBuilder()
      .update(ClientEntity)
      .set(set)
      .where('client_id = :clientId', { clientId })
      .execute();
  }

  async list(filter: ClientListFilter): Promise<StoredClient[]> {
    const query = this.rows
      .createQueryBuilder('c')
      .orderBy('c.createdAt', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .limit(filter.limit);
    if (filter.status !== undefined)
      query.andWhere('c.status = :status', { status: filter.status });
    if (filter.ownerId !== undefined)
      query.andWhere('c.ownerId = :ownerId', { ownerId: filter.ownerId });
    if (filter.scope !== undefined) {
      // Through the scope index, in its order: an index range scan however many clients.
      query
        .innerJoin(ClientScopeEntity, 's', 's.client_id = c.client_id AND s.scope = :scope', {
          scope: filter.scope,
        })
        .orderBy('s.created_at', 'DESC')
        .addOrderBy('s.client_id', 'DESC');
    }
    if (filter.namePrefix !== undefined && filter.namePrefix !== '') {
      if (this.rows.manager.connection.options.type === 'postgres') {
        // LIKE compares characters, whatever the collation; the text_pattern_ops index serves it.
        query.andWhere("c.name LIKE :pattern ESCAPE '\\'", {
          pattern: `${filter.namePrefix.replace(/[\\%_]/g, '\\$&')}%`,
        });
      } else {
        // SQLite compares text by code point (BINARY): the names with the prefix are exactly
        // those from the prefix up to the prefix with its last code point incremented.
        const upper = nextPrefix(filter.namePrefix);
        query.andWhere(upper === null ? 'c.name >= :from' : 'c.name >= :from AND c.name < :to', {
          from: filter.namePrefix,
          ...(upper === null ? {} : { to: upper }),
        });
      }
    }
    if (filter.expiresBefore !== undefined) {
      query.andWhere('c.expiresAt IS NOT NULL AND c.expiresAt <= :expiresBefore', {
        expiresBefore: filter.expiresBefore.getTime(),
      });
    }
    const after = filter.after;
    if (after !== null) {
      // A row-value comparison, which both databases answer from the (created_at, client_id) index.
      const keys =
        filter.scope === undefined ? '(c.created_at, c.client_id)' : '(s.created_at, s.client_id)';
      query.andWhere(`${keys} < (:createdAt, :clientId)`, {
        createdAt: after.createdAt.getTime(),
        clientId: after.clientId,
      });
    }
    return (await query.getMany()).map(toStored);
  }
}
