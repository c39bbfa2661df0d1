import { Inject, Injectable } from '@nestjs/common';
import { AuditLog } from '../audit/audit-log.service.js';
import type { M2mCallContext } from '../domain/call-context.js';
import { SYSTEM_ACTOR, type M2mAuditEventType } from '../domain/audit-event.js';
import type { StoredClient } from '../domain/client.js';
import { ClientNotFoundError } from '../errors/admin.error.js';
import { M2M_SECRET_HASHER } from '../m2m.constants.js';
import { M2M_RESOLVED_OPTIONS } from '../m2m.internal-constants.js';
import type { ResolvedM2mOptions } from '../options/resolved-options.js';
import { ClientStore } from '../stores/client-store.js';
import { M2mTransactions } from '../stores/transactions.js';
import { ChangeFeed } from '../revocation/change-feed.service.js';
import { DELETED_CLIENT_VERSION } from '../revocation/revocation-list.service.js';
import { encodeClientCursor } from './client-cursor.js';
import { checkKeyChange, checkListQuery, checkNewClient, clientChanges } from './client-input.js';
import { generateClientId, generateClientSecret, secretHint } from './client-secret.js';
import { asMetadata } from './client-validation.js';
import { toClientView, visible } from './client-view.js';
import type {
  M2mClientPage,
  M2mClientView,
  M2mCreateClientInput,
  M2mCreatedClient,
  M2mListClientsQuery,
  M2mUpdateClientInput,
} from './client.model.js';
import { JwksUriPolicy } from '../domain/jwks-uri-policy.js';
import type { M2mSecretHasher } from '../domain/secret-hasher.js';

/** The client registry: create, list, get, update and delete M2M clients. */
@Injectable()
export class ClientsService {
  private readonly jwksUriPolicy: JwksUriPolicy;

  constructor(
    private readonly store: ClientStore,
    private readonly transactions: M2mTransactions,
    private readonly audit: AuditLog,
    private readonly feed: ChangeFeed,
    @Inject(M2M_SECRET_HASHER) private readonly hasher: M2mSecretHasher,
    @Inject(M2M_RESOLVED_OPTIONS) private readonly options: ResolvedM2mOptions,
  ) {
    this.jwksUriPolicy = new JwksUriPolicy(
      options.production,
      options.privateKeyJwt.allowedNetworks,
    );
  }

  /**
   * Registers a client and returns it with its secret. The secret is stored only as a hash and
   * is never returned again. The client and its audit event are written together.
   */
  async create(
    input: M2mCreateClientInput,
    context: M2mCallContext = {},
  ): Promise<M2mCreatedClient> {
    const now = new Date();
    const expiresAt = this.expiryOf(input.expiresAt, now);
    const ownerId = context.ownerId ?? input.ownerId ?? null;
    const authMethod = checkNewClient(input, {
      expiresAt,
      ownerId,
      now,
      options: this.options,
      context,
      jwksUriPolicy: this.jwksUriPolicy,
    });

    // A private_key_jwt client has no secret at all: its keys authenticate it.
    const clientSecret = authMethod === 'client_secret' ? generateClientSecret() : null;
    const client: StoredClient = {
      clientId: generateClientId(),
      clientName: input.clientName.trim(),
      description: input.description ?? null,
      scopes: input.scopes,
      audiences: input.audiences ?? [],
      metadata: asMetadata(input.metadata),
      status: 'active',
      ownerId,
      authMethod,
      jwks: input.jwks ?? null,
      jwksUri: input.jwksUri ?? null,
      registrationTokenHash: input.registrationTokenHash ?? null,
      secretHash: clientSecret === null ? '' : await this.hasher.hash(clientSecret),
      secretHint: clientSecret === null ? '' : secretHint(clientSecret),
      secretCreatedAt: now,
      secretLastUsedAt: null,
      secretExpiresAt: null,
      nextSecret: null,
      tokenVersion: 0,
      expiresAt,
      lastUsedAt: null,
      tokenCount: 0,
      createdAt: now,
      updatedAt: now,
    };
    await this.transactions.run(async (stores) => {
      await stores.clients.insert(client);
      await this.audit.record(stores.audit, {
        type: 'client.created',
        clientId: client.clientId,
        ownerId,
        actor: context.actor ?? SYSTEM_ACTOR,
        details: { client_name: client.clientName, scopes: client.scopes },
      });
    });
    return { ...toClientView(client), clientSecret };
  }

  /** One page of clients, newest first, filtered. */
  async list(
    query: M2mListClientsQuery = {},
    context: M2mCallContext = {},
  ): Promise<M2mClientPage> {
    const { limit, after } = checkListQuery(query);

    const ownerId = context.ownerId ?? query.ownerId;
    // One row more than the page tells whether there is a next page.
    const rows = await this.store.list({
      limit: limit + 1,
      after,
      ...(query.status === undefined ? {} : { status: query.status }),
      ...(ownerId === undefined ? {} : { ownerId }),
      ...(query.scope === undefined ? {} : { scope: query.scope }),
      ...(query.namePrefix === undefined ? {} : { namePrefix: query.namePrefix }),
      ...(query.expiresBefore === undefined ? {} : { expiresBefore: query.expiresBefore }),
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: page.map(toClientView),
      nextCursor: rows.length > limit && last !== undefined ? encodeClientCursor(last) : null,
    };
  }

  /** The client, or `ClientNotFoundError`. */
  async get(clientId: string, context: M2mCallContext = {}): Promise<M2mClientView> {
    const client = await this.store.findById(clientId);
    if (!visible(client, context)) throw new ClientNotFoundError(clientId);
    return toClientView(client);
  }

  /**
   * Changes the fields present in `input`; the others stay as they are. Disabling a client
   * revokes its outstanding tokens.
   */
  async update(
    clientId: string,
    input: M2mUpdateClientInput,
    context: M2mCallContext = {},
  ): Promise<M2mClientView> {
    const now = new Date();
    const changes = clientChanges(input, now, this.options, context);
    return this.transactions.run(async (stores) => {
      const before = await stores.clients.findById(clientId);
      if (!visible(before, context)) throw new ClientNotFoundError(clientId);
      if (input.jwks !== undefined || input.jwksUri !== undefined) {
        const { jwks, jwksUri } = checkKeyChange(input, before, this.jwksUriPolicy);
        changes.jwks = jwks;
        changes.jwksUri = jwksUri;
      }
      const updated = await stores.clients.update(clientId, changes);
      if (updated === null) throw new ClientNotFoundError(clientId);
      const actor = context.actor ?? SYSTEM_ACTOR;
      const event = (type: M2mAuditEventType, details?: Record<string, unknown>) =>
        this.audit.record(
          stores.audit,
          { type, clientId, ownerId: updated.ownerId, actor, ...(details ? { details } : {}) },
          now,
        );
      const fields = Object.keys(input).filter((key) => key !== 'status');
      if (fields.length > 0) await event('client.updated', { fields });
      if (input.status !== undefined && input.status !== before.status) {
        await event(input.status === 'disabled' ? 'client.disabled' : 'client.enabled');
      }
      // Disabling revokes the client's tokens; any change drops cached credentials everywhere.
      await this.feed.publish(
        stores,
        input.status === 'disabled'
          ? { kind: 'client', clientId, minTokenVersion: updated.tokenVersion }
          : { kind: 'client_changed', clientId },
        now,
      );
      return toClientView(updated);
    });
  }

  /** Deletes the client and revokes its tokens; `ClientNotFoundError` when there is none. */
  async delete(clientId: string, context: M2mCallContext = {}): Promise<void> {
    const now = new Date();
    await this.transactions.run(async (stores) => {
      const client = await stores.clients.findById(clientId);
      if (!visible(client, context) || !(await stores.clients.delete(clientId))) {
        throw new ClientNotFoundError(clientId);
      }
      await this.audit.record(
        stores.audit,
        {
          type: 'client.deleted',
          clientId,
          ownerId: client.ownerId,
          actor: context.actor ?? SYSTEM_ACTOR,
          details: { client_name: client.clientName },
        },
        now,
      );
      await this.feed.publish(
        stores,
        { kind: 'client', clientId, minTokenVersion: DELETED_CLIENT_VERSION },
        now,
      );
    });
  }

  private expiryOf(requested: Date | null | undefined, now: Date): Date | null {
    if (requested !== undefined) return requested;
    const seconds = this.options.clientLifetime.defaultSeconds;
    return seconds === null ? null : new Date(now.getTime() + seconds * 1000);
  }
}
