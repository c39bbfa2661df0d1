import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigurableM2mModule } from './m2m.module-definition.js';
import {
  M2mResourceServerModule,
  type RESOURCE_SERVER_ASYNC_OPTIONS_TYPE,
  type RESOURCE_SERVER_OPTIONS_TYPE,
} from './m2m-resource-server.module.js';

/**
 * Makes a Nest application an OAuth 2.0 authorization server for machines: client registry,
 * client credentials token endpoint, JWKS, metadata, admin API, and the guard behind
 * `@RequireScopes()`.
 *
 * @example
 * ```ts
 * M2mModule.forRoot({ issuer: 'https://auth.example.com', keyEncryptionKey: process.env.KEK!, isGlobal: true })
 * ```
 */
@Module({})
export class M2mModule extends ConfigurableM2mModule {
  /**
   * Resource-server mode for a separate API: verifies tokens with the issuer's remote JWKS
   * (cached; refetched on an unknown `kid`, with a cooldown), with no database.
   *
   * @example
   * ```ts
   * M2mModule.forResourceServer({ issuer: 'https://auth.example.com', audience: 'https://auth.example.com', isGlobal: true })
   * ```
   */
  static forResourceServer(options: typeof RESOURCE_SERVER_OPTIONS_TYPE): DynamicModule {
    return M2mResourceServerModule.forResourceServer(options);
  }

  /** `forResourceServer` with options from a factory (`useFactory`, `useClass`, `useExisting`). */
  static forResourceServerAsync(options: typeof RESOURCE_SERVER_ASYNC_OPTIONS_TYPE): DynamicModule {
    return M2mResourceServerModule.forResourceServerAsync(options);
  }
}
