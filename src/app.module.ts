import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, ConfigService, registerAs } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Redis } from 'ioredis';
import { M2mModule, M2mRedisRateLimitStorage, type M2mModuleOptions } from 'nestjs-m2m';
import type { AppConfig } from './config.js';
import { dataSourceOptions } from './database.js';
import { DemoController } from './demo/demo.controller.js';
import { HealthModule } from './health/health.module.js';
import { REDIS, RedisModule } from './redis/redis.module.js';

/** `ConfigService` of the example server: the validated {@link AppConfig} under `app`. */
export type AppConfigService = ConfigService<{ app: AppConfig }, true>;

/** The example authorization server: M2M module, demo API and health checks. */
@Module({})
export class AppModule {
  /**
   * @param config from `loadConfig()`, validated against the environment schema; the modules
   *   read it through `ConfigService`
   * @param overrides module options for tests (e.g. a lower bcrypt cost)
   */
  static forRoot(config: AppConfig, overrides: Partial<M2mModuleOptions> = {}): DynamicModule {
    const redis = config.redisUrl === undefined ? [] : [RedisModule.forRoot(config.redisUrl)];
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          // The environment was read and validated once, by loadConfig(); the modules get the
          // result, not process.env.
          ignoreEnvFile: true,
          skipProcessEnv: true,
          validatePredefined: false,
          load: [registerAs('app', () => config)],
        }),
        TypeOrmModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (settings: AppConfigService) => ({
            ...dataSourceOptions(settings.get('app.database', { infer: true })),
            // A database that is still starting gets a few seconds; then the start fails with
            // one line naming DATABASE_URL.
            retryAttempts: 2,
            retryDelay: 2000,
          }),
        }),
        ...redis,
        M2mModule.forRootAsync({
          isGlobal: true,
          // Prometheus text format at GET /metrics.
          metrics: true,
          // The web console at /m2m/console: operators sign in with an admin client.
          console: { path: 'm2m/console' },
          imports: redis,
          inject: redis.length > 0 ? [ConfigService, REDIS] : [ConfigService],
          useFactory: (settings: AppConfigService, client?: Redis): M2mModuleOptions => {
            const { rateLimit = {}, ...rest } = overrides;
            return {
              issuer: settings.get('app.issuer', { infer: true }),
              keyEncryptionKey: settings.get('app.keyEncryptionKey', { infer: true }),
              production: settings.get('app.production', { infer: true }),
              ...rest,
              rateLimit:
                rateLimit === false || client === undefined
                  ? rateLimit
                  : { ...rateLimit, storage: new M2mRedisRateLimitStorage(client) },
            };
          },
        }),
        HealthModule.forRoot(redis),
      ],
      controllers: [DemoController],
    };
  }
}
