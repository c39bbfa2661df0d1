import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Redis } from 'ioredis';
import { M2mModule, M2mRedisRateLimitStorage, type M2mModuleOptions } from '#m2m';
import type { AppConfig } from './config.js';
import { dataSourceOptions } from './database.js';
import { DemoController } from './demo/demo.controller.js';
import { HealthModule } from './health/health.module.js';
import { REDIS, RedisModule } from './redis/redis.module.js';

/** The example authorization server: M2M module, demo API and health checks. */
@Module({})
export class AppModule {
  /**
   * @param config from `loadConfig()`
   * @param overrides module options for tests (e.g. a lower bcrypt cost)
   */
  static forRoot(config: AppConfig, overrides: Partial<M2mModuleOptions> = {}): DynamicModule {
    const redis = config.redisUrl === undefined ? [] : [RedisModule.forRoot(config.redisUrl)];
    const options = (client?: Redis): M2mModuleOptions => {
      const { rateLimit = {}, ...rest } = overrides;
      return {
        issuer: config.issuer,
        keyEncryptionKey: config.keyEncryptionKey,
        production: config.production,
        ...rest,
        rateLimit:
          rateLimit === false || client === undefined
            ? rateLimit
            : { ...rateLimit, storage: new M2mRedisRateLimitStorage(client) },
      };
    };
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRoot(dataSourceOptions(config.database)),
        ...redis,
        M2mModule.forRootAsync({
          isGlobal: true,
          // Prometheus text format at GET /metrics.
          metrics: true,
          imports: redis,
          inject: redis.length > 0 ? [REDIS] : [],
          useFactory: options,
        }),
        HealthModule.forRoot(redis),
      ],
      controllers: [DemoController],
    };
  }
}
