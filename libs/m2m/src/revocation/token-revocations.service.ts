import { Inject, Injectable } from '@nestjs/common';
import { SYSTEM_ACTOR } from '../audit/audit-event.js';
import { AuditLog } from '../audit/audit-log.service.js';
import type { M2mCallContext } from '../clients/client.model.js';
import { M2M_RESOLVED_OPTIONS } from '../m2m.internal-constants.js';
import type { ResolvedM2mOptions } from '../m2m-options.js';
import { M2mTransactions } from '../persistence/m2m-transactions.js';
import { RevocationList } from './revocation-list.service.js';

/** Revokes single access tokens by their `jti`. */
@Injectable()
export class TokenRevocationService {
  constructor(
    private readonly transactions: M2mTransactions,
    private readonly audit: AuditLog,
    private readonly revocations: RevocationList,
    @Inject(M2M_RESOLVED_OPTIONS) private readonly options: ResolvedM2mOptions,
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
    const revocation = {
      kind: 'token' as const,
      subject: jti,
      minTokenVersion: null,
      createdAt: now,
      expiresAt:
        context.expiresAt ??
        new Date(
          now.getTime() +
            (this.options.accessTokenTtlSeconds + this.options.clockToleranceSeconds) * 1000,
        ),
    };
    await this.transactions.run(async (stores) => {
      await stores.revocations.insert(revocation);
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
      stores.afterCommit(() => this.revocations.apply(revocation));
    });
  }
}
