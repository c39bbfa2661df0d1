import { Injectable } from '@nestjs/common';
import { SYSTEM_ACTOR } from '../domain/audit-event.js';
import { AuditLog } from '../audit/audit-log.service.js';
import type { M2mCallContext } from '../domain/call-context.js';
import { M2mTransactions } from '../stores/transactions.js';
import { ChangeFeed } from './change-feed.service.js';

/** Revokes single access tokens by their `jti`. */
@Injectable()
export class TokenRevocationService {
  constructor(
    private readonly transactions: M2mTransactions,
    private readonly audit: AuditLog,
    private readonly feed: ChangeFeed,
  ) {}

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
