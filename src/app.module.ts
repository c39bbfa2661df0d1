import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { M2mModule, type M2mModuleOptions } from '#m2m';
import type { AppConfig } from './config.js';
import { dataSourceOptions } from './database.js';
import { DemoController } from './demo/demo.controller.js';
import { HealthController } from './health/health.controller.js';

/** The example authorization server: M2M module, demo API and health check. */
@Module({})
export class AppModule {
  /**
   * @param config from `loadConfig()`
   * @param overrides module options for tests (e.g. a lower bcrypt cost)
   */
  static forRoot(config: AppConfig, overrides: Partial<M2mModuleOptions> = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRoot(dataSourceOptions(config.database)),
        M2mModule.forRoot({
          issuer: config.issuer,
          keyEncryptionKey: config.keyEncryptionKey,
          production: config.production,
          ...overrides,
          isGlobal: true,
        }),
      ],
      controllers: [DemoController, HealthController],
    };
  }
}
