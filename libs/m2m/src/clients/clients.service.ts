import { Inject, Injectable } from '@nestjs/common';
import { ClientNotFoundError, ClientValidationError } from '../errors/admin.error.js';
import { M2M_SECRET_HASHER } from '../m2m.constants.js';
import { M2M_RESOLVED_OPTIONS } from '../m2m.internal-constants.js';
import type { ResolvedM2mOptions } from '../m2m-options.js';
import { ClientStore, type ClientChanges } from '../persistence/client.store.js';
import type { StoredClient } from '../persistence/stored-client.js';
import { decodeClientCursor, encodeClientCursor } from './client-cursor.js';
import type {
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
  checkDescription,
  checkExpiry,
  checkMetadata,
  checkName,
  checkScopes,
  FieldErrors,
} from './client-validation.js';
import type { M2mSecretHasher } from './secret-hasher.js';

const STATUSES = new Set(['active', 'disabled']);

/** Strips what must never leave the library: the secret hash. */
function toView(client: StoredClient): M2mClientView {
  const { secretHash: _secretHash, ...view } = client;
  return view;
}

function throwIfAny(errors: FieldErrors): void {
  if (errors.list.length > 0) throw new ClientValidationError(errors.list);
}

/** The client registry: create, list, get, update and delete M2M clients. */
@Injectable()
export class ClientsService {
  constructor(
    private readonly store: ClientStore,
    @Inject(M2M_SECRET_HASHER) private readonly hasher: M2mSecretHasher,
    @Inject(M2M_RESOLVED_OPTIONS) private readonly options: ResolvedM2mOptions,
  ) {}

  /**
   * Registers a client and returns it with its secret. The secret is stored only as a hash and
   * is never returned again.
   */
  async create(input: M2mCreateClientInput): Promise<M2mCreatedClient> {
    const now = new Date();
    const expiresAt = this.expiryOf(input.expiresAt, now);
    const errors = new FieldErrors();
    checkName(errors, input.clientName);
    checkDescription(errors, input.description);
    checkScopes(errors, input.scopes);
    checkMetadata(errors, input.metadata);
    checkExpiry(errors, expiresAt, now, this.options.clientLifetime);
    throwIfAny(errors);

    const clientSecret = generateClientSecret();
    const client: StoredClient = {
      clientId: generateClientId(),
      clientName: input.clientName.trim(),
      description: input.description ?? null,
      scopes: input.scopes,
      metadata: asMetadata(input.metadata),
      status: 'active',
      secretHash: await this.hasher.hash(clientSecret),
      secretHint: secretHint(clientSecret),
      expiresAt,
      createdAt: now,
      updatedAt: now,
    };
    // One INSERT: the client exists with its hash, or not at all.
    await this.store.insert(client);
    return { ...toView(client), clientSecret };
  }

  /** One page of clients, newest first. */
  async list(query: M2mListClientsQuery = {}): Promise<M2mClientPage> {
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
    throwIfAny(errors);

    // One row more than the page tells whether there is a next page.
    const rows = await this.store.list({
      limit: limit + 1,
      after,
      ...(query.status === undefined ? {} : { status: query.status }),
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: page.map(toView),
      nextCursor: rows.length > limit && last !== undefined ? encodeClientCursor(last) : null,
    };
  }

  /** The client, or `ClientNotFoundError`. */
  async get(clientId: string): Promise<M2mClientView> {
    const client = await this.store.findById(clientId);
    if (client === null) throw new ClientNotFoundError(clientId);
    return toView(client);
  }

  /** Changes the fields present in `input`; the others stay as they are. */
  async update(clientId: string, input: M2mUpdateClientInput): Promise<M2mClientView> {
    const now = new Date();
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
      checkScopes(errors, input.scopes);
      changes.scopes = input.scopes;
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

    const updated = await this.store.update(clientId, changes);
    if (updated === null) throw new ClientNotFoundError(clientId);
    return toView(updated);
  }

  /** Deletes the client; `ClientNotFoundError` when there is none. */
  async delete(clientId: string): Promise<void> {
    if (!(await this.store.delete(clientId))) throw new ClientNotFoundError(clientId);
  }

  private expiryOf(requested: Date | null | undefined, now: Date): Date | null {
    if (requested !== undefined) return requested;
    const seconds = this.options.clientLifetime.defaultSeconds;
    return seconds === null ? null : new Date(now.getTime() + seconds * 1000);
  }
}
