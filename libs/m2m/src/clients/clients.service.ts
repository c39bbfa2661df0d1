import { Inject, Injectable } from '@nestjs/common';
import { SYSTEM_ACTOR, type M2mAuditEventType } from '../domain/audit-event.js';
import { AuditLog } from '../audit/audit-log.service.js';
import { ClientNotFoundError, ClientValidationError } from '../errors/admin.error.js';
import { M2M_SECRET_HASHER } from '../m2m.constants.js';
import { M2M_RESOLVED_OPTIONS } from '../m2m.internal-constants.js';
import type { ResolvedM2mOptions } from '../m2m-options.js';
import { ClientStore, type ClientChanges } from '../persistence/client.store.js';
import { M2mTransactions } from '../persistence/m2m-transactions.js';
import type { StoredClient } from '../domain/client.js';
import { ChangeFeed } from '../revocation/change-feed.service.js';
import { DELETED_CLIENT_VERSION } from '../revocation/revocation-list.service.js';
import { decodeClientCursor, encodeClientCursor } from './client-cursor.js';
import type {
  M2mCallContext,
  M2mClientPage,
  M2mClientView,
  M2mCreateClientInput,
  M2mCreatedClient,
  M2mListClientsQuery,
  M2mUpdateClientInput,
} from './client.model.js';
import { generateClientId, generateClientSecret, secretHint } from './client-secret.js';
import {
  asMetadata,
  checkAudiences,
  checkClientKeys,
  checkDescription,
  checkExpiry,
  checkFilter,
  checkMetadata,
  checkName,
  checkOwnerId,
  checkScopes,
  FieldErrors,
} from './client-validation.js';
import { JwksUriPolicy } from './jwks-uri-policy.js';
import type { M2mSecretHasher } from './secret-hasher.js';

const STATUSES = new Set(['active', 'disabled']);

/** Strips what must never leave the library: the secret hashes and the token version. */
export function toClientView(client: StoredClient): M2mClientView {
  const {
    secretHash: _hash,
    nextSecret,
    tokenVersion: _version,
    registrationTokenHash: _registration,
    ...view
  } = client;
  return {
    ...view,
    nextSecret:
      nextSecret === null
        ? null
        : {
            hint: nextSecret.hint,
            createdAt: nextSecret.createdAt,
            lastUsedAt: nextSecret.lastUsedAt,
          },
  };
}

function throwIfAny(errors: FieldErrors): void {
  if (errors.list.length > 0) throw new ClientValidationError(errors.list);
}

/** The client, if the context may see it; owners never see each other's clients. */
export function visible(
  client: StoredClient | null,
  context: M2mCallContext,
): client is StoredClient {
  return client !== null && (context.ownerId === undefined || client.ownerId === context.ownerId);
}

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
    const errors = new FieldErrors();
    checkName(errors, input.clientName);
    checkDescription(errors, input.description);
    checkScopes(errors, input.scopes, context.allowedScopes);
    checkAudiences(errors, input.audiences, this.options.resources, context.allowedAudiences);
    checkMetadata(errors, input.metadata);
    checkExpiry(errors, expiresAt, now, this.options.clientLifetime);
    checkOwnerId(errors, ownerId);
    const authMethod = input.authMethod ?? 'client_secret';
    if (authMethod !== 'client_secret' && authMethod !== 'private_key_jwt') {
      errors.add(
        'token_endpoint_auth_method',
        'must be client_secret_basic, client_secret_post or private_key_jwt',
      );
    }
    checkClientKeys(errors, authMethod, input.jwks, input.jwksUri, this.jwksUriPolicy);
    throwIfAny(errors);

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
    const errors = new FieldErrors();
    const limit = query.limit ?? 20;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      errors.add('limit', 'must be an integer from 1 to 100');
    }
    const after = query.cursor === undefined ? null : decodeClientCursor(query.cursor);
    if (query.cursor !== undefined && after === null) {
      errors.add('cursor', 'is not a cursor returned by this API');
    }
    if (query.status !== undefined && !STATUSES.has(query.status)) {
      errors.add('status', 'must be "active" or "disabled"');
    }
    if (query.expiresBefore !== undefined && Number.isNaN(query.expiresBefore.getTime())) {
      errors.add('expires_before', 'must be an RFC 3339 date-time');
    }
    checkFilter(errors, 'owner_id', query.ownerId);
    checkFilter(errors, 'scope', query.scope);
    checkFilter(errors, 'name_prefix', query.namePrefix);
    throwIfAny(errors);

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
    const changes = this.changesOf(input, now, context);
    return this.transactions.run(async (stores) => {
      const before = await stores.clients.findById(clientId);
      if (!visible(before, context)) throw new ClientNotFoundError(clientId);
      if (input.jwks !== undefined || input.jwksUri !== undefined) {
        const errors = new FieldErrors();
        const jwks =
          input.jwks !== undefined ? input.jwks : input.jwksUri != null ? null : before.jwks;
        const jwksUri =
          input.jwksUri !== undefined ? input.jwksUri : input.jwks != null ? null : before.jwksUri;
        checkClientKeys(errors, before.authMethod, jwks, jwksUri, this.jwksUriPolicy);
        throwIfAny(errors);
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

  private changesOf(
    input: M2mUpdateClientInput,
    now: Date,
    context: M2mCallContext,
  ): ClientChanges {
    const errors = new FieldErrors();
    const changes: ClientChanges = { updatedAt: now };
    if (input.clientName !== undefined) {
      checkName(errors, input.clientName);
      changes.clientName = typeof input.clientName === 'string' ? input.clientName.trim() : '';
    }
    if (input.description !== undefined) {
      checkDescription(errors, input.description);
      changes.description = input.description;
    }
    if (input.scopes !== undefined) {
      checkScopes(errors, input.scopes, context.allowedScopes);
      changes.scopes = input.scopes;
    }
    if (input.audiences !== undefined) {
      checkAudiences(errors, input.audiences, this.options.resources, context.allowedAudiences);
      changes.audiences = input.audiences;
    }
    if (input.metadata !== undefined) {
      checkMetadata(errors, input.metadata);
      changes.metadata = asMetadata(input.metadata);
    }
    if (input.status !== undefined) {
      if (!STATUSES.has(input.status)) errors.add('status', 'must be "active" or "disabled"');
      changes.status = input.status;
    }
    if (input.expiresAt !== undefined) {
      checkExpiry(errors, input.expiresAt, now, this.options.clientLifetime);
      changes.expiresAt = input.expiresAt;
    }
    throwIfAny(errors);
    return changes;
  }

  private expiryOf(requested: Date | null | undefined, now: Date): Date | null {
    if (requested !== undefined) return requested;
    const seconds = this.options.clientLifetime.defaultSeconds;
    return seconds === null ? null : new Date(now.getTime() + seconds * 1000);
  }
}
