import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { TooManyRequestsError } from '../errors/oauth.error.js';
import { M2M_RATE_LIMIT_STORAGE } from '../m2m.constants.js';
import { M2M_RESOLVED_OPTIONS } from '../m2m.internal-constants.js';
import type { ResolvedM2mOptions } from '../options/resolved-options.js';

/**
 * The optional per-client issuance quota (`rateLimit.issuanceQuota`): past `limit` tokens in a
 * window, the token endpoint answers 429 `temporarily_unavailable` with `Retry-After`. Counted in
 * the rate-limit storage, so it is shared through Redis when configured.
 */
@Injectable()
export class IssuanceQuota {
  private readonly logger = new Logger('M2mRateLimit');
  private readonly quota: { limit: number; windowSeconds: number } | null;

  constructor(
    @Inject(M2M_RATE_LIMIT_STORAGE) private readonly storage: ThrottlerStorage,
    @Inject(M2M_RESOLVED_OPTIONS) options: ResolvedM2mOptions,
  ) {
    this.quota = options.rateLimit === false ? null : options.rateLimit.issuanceQuota;
  }

  /** Counts a token for the client; `TooManyRequestsError` past the quota. */
  async consume(clientId: string): Promise<void> {
    const quota = this.quota;
    if (quota === null) return;
    const windowMs = quota.windowSeconds * 1000;
    let record: Awaited<ReturnType<ThrottlerStorage['increment']>>;
    try {
      record = await this.storage.increment(
        `client:${clientId}`,
        windowMs,
        quota.limit,
        windowMs,
        'm2m-issuance',
      );
    } catch (error) {
      // Fail open: an unreachable rate-limit store must not stop token issuance.
      this.logger.warn(`Rate-limit storage failed; quota not counted: ${(error as Error).message}`);
      return;
    }
    if (record.totalHits > quota.limit) {
      throw new TooManyRequestsError(
        Math.max(1, record.timeToExpire),
        `client ${clientId} is past its issuance quota`,
      );
    }
  }
}
