import { Injectable } from '@nestjs/common';
import { TypeOrmHealthIndicator, type HealthIndicatorResult } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { DependencyHealth, HEALTH_CHECK_TIMEOUT_MS } from './dependency-health.js';

/** The database check: terminus's TypeORM ping (`SELECT 1`) with a short timeout. */
@Injectable()
export class DatabaseHealthIndicator {
  private readonly state = new DependencyHealth('database', 'The database');

  constructor(
    private readonly typeorm: TypeOrmHealthIndicator,
    private readonly dataSource: DataSource,
  ) {}

  /** `{ database: { status, responseTime, message? } }`; never rejects. */
  async check(): Promise<HealthIndicatorResult<'database'>> {
    const result = await this.typeorm
      .pingCheck('database', { connection: this.dataSource })
      .withTimeout(HEALTH_CHECK_TIMEOUT_MS);
    return this.state.publish(result);
  }
}
