import { Inject, Injectable, Optional } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import { REDIS } from '../redis/redis.module.js';
import { DependencyHealth, HEALTH_CHECK_TIMEOUT_MS } from './dependency-health.js';

/** The Redis check: PING on the shared connection, when `REDIS_URL` is configured. */
@Injectable()
export class RedisHealthIndicator {
  private readonly state = new DependencyHealth('redis', 'Redis');

  constructor(
    private readonly indicators: HealthIndicatorService,
    @Optional() @Inject(REDIS) private readonly redis?: Redis,
  ) {}

  /** Whether Redis is configured, and so part of readiness. */
  get configured(): boolean {
    return this.redis !== undefined;
  }

  /** `{ redis: { status, responseTime, message? } }`; never rejects. */
  async check(): Promise<HealthIndicatorResult<'redis'>> {
    const redis = this.redis;
    const result = await this.indicators
      .check('redis')
      .attempt(async () => {
        if (redis === undefined) throw new Error('REDIS_URL is not configured');
        await redis.ping();
      })
      .withTimeout(HEALTH_CHECK_TIMEOUT_MS);
    return this.state.publish(result);
  }
}
