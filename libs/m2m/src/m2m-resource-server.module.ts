import { ConfigurableModuleBuilder, Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { BearerExceptionFilter } from './http/bearer-exception.filter.js';
import { M2mBearerStrategy } from './guards/bearer.strategy.js';
import { M2mAuthGuard } from './guards/m2m-auth.guard.js';
import { M2M_ACCESS_TOKEN_VERIFIER, M2M_GUARD_OPTIONS } from './m2m.internal-constants.js';
import { RemoteTokenVerifier } from './verification/remote-token-verifier.service.js';
import {
  validateResourceServerOptions,
  type M2mResourceServerOptions,
} from './options/resource-server-options.js';
import { DEFAULT_REALM } from './options/defaults.js';

/** Injection token of the resource-server options. */
export const M2M_RESOURCE_SERVER_OPTIONS = Symbol('M2M_RESOURCE_SERVER_OPTIONS');

const {
  ConfigurableModuleClass: ConfigurableResourceServerModule,
  OPTIONS_TYPE: RESOURCE_SERVER_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: RESOURCE_SERVER_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<M2mResourceServerOptions>({
  optionsInjectionToken: M2M_RESOURCE_SERVER_OPTIONS,
})
  .setClassMethodName('forResourceServer')
  .setFactoryMethodName('createM2mResourceServerOptions')
  .setExtras({ isGlobal: false }, (definition, extras): DynamicModule => ({
    ...definition,
    global: extras.isGlobal,
    providers: [
      ...(definition.providers ?? []),
      {
        provide: RemoteTokenVerifier,
        inject: [M2M_RESOURCE_SERVER_OPTIONS],
        useFactory: (options: M2mResourceServerOptions) =>
          new RemoteTokenVerifier(validateResourceServerOptions(options)),
      },
      { provide: M2M_ACCESS_TOKEN_VERIFIER, useExisting: RemoteTokenVerifier },
      {
        provide: M2M_GUARD_OPTIONS,
        inject: [M2M_RESOURCE_SERVER_OPTIONS],
        useFactory: (options: M2mResourceServerOptions) => ({
          realm: options.realm ?? DEFAULT_REALM,
        }),
      },
      M2mBearerStrategy,
      M2mAuthGuard,
      BearerExceptionFilter,
      { provide: APP_FILTER, useExisting: BearerExceptionFilter },
    ],
    exports: [
      M2M_GUARD_OPTIONS,
      M2M_ACCESS_TOKEN_VERIFIER,
      M2mBearerStrategy,
      M2mAuthGuard,
      BearerExceptionFilter,
    ],
  }))
  .build();

export { RESOURCE_SERVER_ASYNC_OPTIONS_TYPE, RESOURCE_SERVER_OPTIONS_TYPE };

/**
 * Resource-server mode: the same `@RequireScopes()`, `@M2mClient()` and RFC 6750 behaviour for
 * an API that only accepts tokens, verified against the authorization server's JWKS. No
 * database, no token endpoint. Use it through `M2mModule.forResourceServer()`.
 */
@Module({})
export class M2mResourceServerModule extends ConfigurableResourceServerModule {}
