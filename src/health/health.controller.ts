import { Controller, Get, HttpException, HttpStatus, Inject, Optional } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { REDIS } from '../redis/redis.module.js';

type Check = 'up' | 'down';

interface Health {
  status: 'ok' | 'unavailable';
  checks: { database: Check; redis?: Check };
}

async function check(probe: () => Promise<unknown>): Promise<Check> {
  try {
    await probe();
    return 'up';
  } catch {
    return 'down';
  }
}

/** Liveness and readiness, including the database. */
@ApiTags('Operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    @Optional() @Inject(REDIS) private readonly redis?: Redis,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'Liveness and readiness: 200 when the database (and Redis, if configured) answer, else 503',
  })
  async health(): Promise<Health> {
    const redis = this.redis;
    const checks: Health['checks'] = {
      database: await check(() => this.dataSource.query('SELECT 1')),
      ...(redis === undefined ? {} : { redis: await check(() => redis.ping()) }),
    };
    if (Object.values(checks).every((state) => state === 'up')) return { status: 'ok', checks };
    throw new HttpException(
      { status: 'unavailable', checks } satisfies Health,
      HttpStatus.SERVICE_UNAVAILABLE,
    );
  }
}
