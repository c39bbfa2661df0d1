import { Injectable } from '@nestjs/common';
import { SYSTEM_ACTOR } from '../domain/audit-event.js';
import { AuditLog } from '../audit/audit-log.service.js';
import type { M2mCallContext } from '../domain/call-context.js';
import type { StoredClient } from '../domain/client.js';
import { InvalidRequestError } from '../errors/oauth.error.js';
import { M2mTransactions } from '../stores/transactions.js';
import { ChangeFeed } from './change-feed.service.js';

/** What verification read of an active access token that a client presented for revocation. */
export interface PresentedToken {
  jti: string;
  /** The token's `client_id` claim. */
  clientId: string | undefined;
  expiresAt: Date;
}

/** Revokes single access tokens by their `jti`, on an operator's word or at a client's request. */
@Injectable()
export class TokenRevocationService {
  constructor(
    private readonly transactions: M2mTransactions,
    private readonly audit: AuditLog,
    private readonly feed: ChangeFeed,
  ) {}

  /**
   * RFC 7009 §2.1: the authenticated `caller` revokes a token it presented; `token` is null when
   * that token is invalid, expired, unknown or already revoked, which needs nothing and succeeds
   * (§2.2). Another client's token is refused with `invalid_request`.
   */
  async revokePresentedToken(
    caller: Pick<StoredClient, 'clientId' | 'ownerId'>,
    token: PresentedToken | null,
  ): Promise<void> {
    if (token === null) return;
    if (token.clientId !== caller.clientId) {
      throw new InvalidRequestError(
        'The token was not issued to this client.',
        `client ${caller.clientId} tried to revoke a token of ${String(token.clientId)}`,
      );
    }
    await this.revokeToken(token.jti, {
      actor: { type: 'client', id: caller.clientId },
      clientId: caller.clientId,
      ownerId: caller.ownerId ?? undefined,
      expiresAt: token.expiresAt,
    });
  }

  /**
   * Revokes the token with this `jti` on every instance (at once on this one). Without the
   * token's expiry, the entry lives as long as the longest token could.
   */
  async revokeToken(
    jti: string,
    context: M2mCallContext & { clientId?: string | null; expiresAt?: Date } = {},
  ): Promise<void> {
    const now = new Date();
    await this.transactions.run(async (stores) => {
      await this.feed.publish(
        stores,
        {
          kind: 'token',
          jti,
          ...(context.expiresAt === undefined ? {} : { expiresAt: context.expiresAt }),
        },
        now,
      );
      await this.audit.record(
        stores.audit,
        {
          type: 'token.revoked',
          clientId: context.clientId ?? null,
          ownerId: context.ownerId ?? null,
          actor: context.actor ?? SYSTEM_ACTOR,
          details: { jti },
        },
        now,
      );
    });
  }
}
