import { Controller, Get, Header, HttpException, HttpStatus } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  type HealthCheckResult,
  type HealthIndicatorFunction,
} from '@nestjs/terminus';
import { DatabaseHealthIndicator } from './database.health.js';
import { HEALTH_CHECK_TIMEOUT_MS } from './dependency-health.js';
import { RedisHealthIndicator } from './redis.health.js';

type Check = 'up' | 'down';

/** The body of `GET /health`, a format that existing monitors parse. */
interface Health {
  status: 'ok' | 'unavailable';
  checks: { database: Check; redis?: Check };
}

const checksSchema = {
  type: 'object',
  required: ['database'],
  properties: {
    database: { type: 'string', enum: ['up', 'down'] },
    redis: { type: 'string', enum: ['up', 'down'], description: 'Only when REDIS_URL is set' },
  },
};

const legacySchema = (status: Health['status']) => ({
  type: 'object',
  required: ['status', 'checks'],
  properties: { status: { type: 'string', enum: [status] }, checks: checksSchema },
});

/**
 * Liveness (`/health/live`), readiness (`/health/ready`, terminus's format) and the combined
 * `/health` kept for existing monitors. Every dependency check gives up after
 * {@link HEALTH_CHECK_TIMEOUT_MS}, so a hung database makes the probe fail instead of hang.
 */
@ApiTags('Operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly healthCheck: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly redis: RedisHealthIndicator,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'Liveness and readiness: 200 when the database (and Redis, if configured) answer, else 503',
  })
  @ApiOkResponse({ description: 'Every dependency answered', schema: legacySchema('ok') })
  @ApiServiceUnavailableResponse({
    description: `A dependency failed or did not answer within ${HEALTH_CHECK_TIMEOUT_MS} ms`,
    schema: legacySchema('unavailable'),
  })
  async health(): Promise<Health> {
    const [database, redis] = await Promise.all([
      this.database.check(),
      this.redis.configured ? this.redis.check() : undefined,
    ]);
    const checks: Health['checks'] = {
      database: database.database.status === 'up' ? 'up' : 'down',
      ...(redis === undefined ? {} : { redis: redis.redis.status === 'up' ? 'up' : 'down' }),
    };
    if (Object.values(checks).every((state) => state === 'up')) return { status: 'ok', checks };
    throw new HttpException(
      { status: 'unavailable', checks } satisfies Health,
      HttpStatus.SERVICE_UNAVAILABLE,
    );
  }

  @Get('live')
  // Same caching rule as the terminus routes: a probe must see the process, not a cache.
  @Header('Cache-Control', 'no-cache, no-store, must-revalidate')
  @ApiOperation({
    summary: 'Liveness: 200 while the process serves HTTP; checks no dependency',
  })
  @ApiOkResponse({
    description: 'The process is serving',
    schema: {
      type: 'object',
      required: ['status'],
      properties: { status: { type: 'string', enum: ['ok'] } },
    },
  })
  live(): { status: 'ok' } {
    // A database or Redis outage must not get a healthy process restarted: readiness covers them.
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary: `Readiness: 200 when the database (and Redis, if configured) answer within ${HEALTH_CHECK_TIMEOUT_MS} ms, else 503`,
  })
  ready(): Promise<HealthCheckResult> {
    const checks: HealthIndicatorFunction[] = [() => this.database.check()];
    if (this.redis.configured) checks.push(() => this.redis.check());
    return this.healthCheck.check(checks);
  }
}
