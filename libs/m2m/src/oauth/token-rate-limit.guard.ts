import {
  Inject,
  Injectable,
  Logger,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { TooManyRequestsError } from '../errors/oauth.error.js';
import { M2M_RATE_LIMIT_STORAGE } from '../m2m.constants.js';
import { M2M_RESOLVED_OPTIONS } from '../m2m.internal-constants.js';
import type { ResolvedM2mOptions } from '../m2m-options.js';

interface ClientAddress {
  ip?: string;
  socket?: { remoteAddress?: string };
}

/**
 * Per-IP rate limit of the token endpoint. Every attempt costs a bcrypt verification, so an
 * unthrottled endpoint is a cheap way to burn the server's CPU. The storage is the
 * `@nestjs/throttler` interface, so a shared store (e.g. Redis) can replace the in-memory one.
 * Behind a proxy, enable Express's `trust proxy` so that `request.ip` is the caller's address.
 */
@Injectable()
export class TokenRateLimitGuard implements CanActivate {
  private readonly logger = new Logger('M2mRateLimit');

  constructor(
    @Inject(M2M_RATE_LIMIT_STORAGE) private readonly storage: ThrottlerStorage,
    @Inject(M2M_RESOLVED_OPTIONS) private readonly options: ResolvedM2mOptions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const limit = this.options.rateLimit;
    if (limit === false) return true;
    const request = context.switchToHttp().getRequest<ClientAddress>();
    const ip = request.ip ?? request.socket?.remoteAddress ?? 'unknown';
    const ttlMs = limit.windowSeconds * 1000;
    let record: Awaited<ReturnType<ThrottlerStorage['increment']>>;
    try {
      record = await this.storage.increment(
        `m2m-token:${ip}`,
        ttlMs,
        limit.limit,
        ttlMs,
        'm2m-token',
      );
    } catch (error) {
      // Fail open: an unreachable rate-limit store must not take authentication down with it.
      this.logger.warn(`Rate-limit storage failed; request allowed: ${(error as Error).message}`);
      return true;
    }
    if (record.isBlocked) {
      throw new TooManyRequestsError(Math.max(1, record.timeToBlockExpire));
    }
    return true;
  }
}
