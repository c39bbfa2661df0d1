import { Module, type DynamicModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DatabaseHealthIndicator } from './database.health.js';
import { HealthController } from './health.controller.js';
import { RedisHealthIndicator } from './redis.health.js';

/** `/health`, `/health/live` and `/health/ready`. */
@Module({})
export class HealthModule {
  /**
   * @param imports the Redis module when `REDIS_URL` is configured, so that readiness checks it
   */
  static forRoot(imports: DynamicModule[] = []): DynamicModule {
    return {
      module: HealthModule,
      // terminus would log every failed probe at error level; the indicators log each outage
      // once, with its cause, when it starts and when it ends.
      imports: [TerminusModule.forRoot({ logger: false }), ...imports],
      controllers: [HealthController],
      providers: [DatabaseHealthIndicator, RedisHealthIndicator],
    };
  }
}
