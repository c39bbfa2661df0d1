import { Inject, Injectable } from '@nestjs/common';
import { SYSTEM_ACTOR } from '../domain/audit-event.js';
import { AuditLog } from '../audit/audit-log.service.js';
import { ClientNotFoundError, ClientStateError } from '../errors/admin.error.js';
import { M2M_SECRET_HASHER } from '../m2m.constants.js';
import { M2M_RESOLVED_OPTIONS } from '../m2m.internal-constants.js';
import type { ResolvedM2mOptions } from '../options/resolved-options.js';
import { M2mTransactions, type TransactionStores } from '../stores/transactions.js';
import type { StoredClient } from '../domain/client.js';
import type { M2mCallContext } from '../domain/call-context.js';
import type { M2mClientView, M2mRotationStarted } from './client.model.js';
import { generateClientSecret, secretHint } from './client-secret.js';
import { FieldErrors } from '../errors/field-errors.js';
import { toClientView, visible } from './client-view.js';
import { ChangeFeed } from '../revocation/change-feed.service.js';
import type { M2mSecretHasher } from '../domain/secret-hasher.js';

/** Options of {@link ClientSecretsService.startRotation}. */
export interface M2mStartRotationOptions {
  /**
   * Seconds after which the current secret stops authenticating on its own (0 to one year);
   * null waits for `complete`. @default the `rotationGraceSeconds` option
   */
  graceSeconds?: number | null;
}

/**
 * Secret rotation with overlap: `start` issues a second secret (shown once) and both
 * authenticate; `complete` promotes it, invalidates the old one and revokes the tokens issued
 * so far; `cancel` discards it. Each step is one conditional UPDATE in a transaction with its
 * audit event, so concurrent calls cannot leave two next secrets or lose one.
 */
@Injectable()
export class ClientSecretsService {
  constructor(
    private readonly transactions: M2mTransactions,
    private readonly feed: ChangeFeed,
    private readonly audit: AuditLog,
    @Inject(M2M_SECRET_HASHER) private readonly hasher: M2mSecretHasher,
    @Inject(M2M_RESOLVED_OPTIONS) private readonly options: ResolvedM2mOptions,
  ) {}

  async startRotation(
    clientId: string,
    options: M2mStartRotationOptions = {},
    context: M2mCallContext = {},
  ): Promise<M2mRotationStarted> {
    const grace =
      options.graceSeconds === undefined ? this.options.rotationGraceSeconds : options.graceSeconds;
    if (grace !== null && (!Number.isInteger(grace) || grace < 0 || grace > 366 * 24 * 3600)) {
      const errors = new FieldErrors();
      errors.add('grace_seconds', 'must be an integer from 0 to 31622400, or null');
      errors.throwIfAny();
    }
    const now = new Date();
    const secret = generateClientSecret();
    const hash = await this.hasher.hash(secret);
    const view = await this.transactions.run(async (stores) => {
      const client = await this.load(stores, clientId, context);
      if (client.authMethod !== 'client_secret') throw ClientStateError.noSecret(clientId);
      if (client.status !== 'active') throw ClientStateError.disabled(clientId);
      const started = await stores.clients.startRotation(
        clientId,
        { hash, hint: secretHint(secret), createdAt: now },
        grace === null ? null : new Date(now.getTime() + grace * 1000),
      );
      if (!started) throw ClientStateError.rotationInProgress(clientId);
      await this.feed.publish(stores, { kind: 'client_changed', clientId }, now);
      await this.record(stores, 'secret.rotation_started', client, context, now, {
        next_secret_hint: secretHint(secret),
        grace_seconds: grace,
      });
      return this.reload(stores, clientId);
    });
    return { ...view, nextClientSecret: secret };
  }

  async completeRotation(clientId: string, context: M2mCallContext = {}): Promise<M2mClientView> {
    const now = new Date();
    return this.transactions.run(async (stores) => {
      const client = await this.load(stores, clientId, context);
      if (!(await stores.clients.completeRotation(clientId, now)))
        throw ClientStateError.noRotation(clientId);
      await this.record(stores, 'secret.rotation_completed', client, context, now, {
        retired_secret_hint: client.secretHint,
      });
      await this.feed.publish(
        stores,
        { kind: 'client', clientId, minTokenVersion: client.tokenVersion + 1 },
        now,
      );
      return this.reload(stores, clientId);
    });
  }

  async cancelRotation(clientId: string, context: M2mCallContext = {}): Promise<M2mClientView> {
    const now = new Date();
    return this.transactions.run(async (stores) => {
      const client = await this.load(stores, clientId, context);
      if (!(await stores.clients.cancelRotation(clientId, now)))
        throw ClientStateError.noRotation(clientId);
      await this.feed.publish(stores, { kind: 'client_changed', clientId }, now);
      await this.record(stores, 'secret.rotation_cancelled', client, context, now, {
        discarded_secret_hint: client.nextSecret?.hint ?? null,
      });
      return this.reload(stores, clientId);
    });
  }

  private async load(
    stores: TransactionStores,
    clientId: string,
    context: M2mCallContext,
  ): Promise<StoredClient> {
    const client = await stores.clients.findById(clientId);
    if (!visible(client, context)) throw new ClientNotFoundError(clientId);
    return client;
  }

  private async reload(stores: TransactionStores, clientId: string): Promise<M2mClientView> {
    const client = await stores.clients.findById(clientId);
    if (client === null) throw new ClientNotFoundError(clientId);
    return toClientView(client);
  }

  private record(
    stores: TransactionStores,
    type: 'secret.rotation_started' | 'secret.rotation_completed' | 'secret.rotation_cancelled',
    client: StoredClient,
    context: M2mCallContext,
    at: Date,
    details: Record<string, unknown>,
  ): Promise<void> {
    return this.audit.record(
      stores.audit,
      {
        type,
        clientId: client.clientId,
        ownerId: client.ownerId,
        actor: context.actor ?? SYSTEM_ACTOR,
        details,
      },
      at,
    );
  }
}
