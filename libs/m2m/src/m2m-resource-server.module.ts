import { ConfigurableModuleBuilder, Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { BearerExceptionFilter } from './errors/bearer-exception.filter.js';
import { M2mConfigurationError } from './errors/m2m-configuration.error.js';
import { M2mBearerStrategy } from './guards/bearer.strategy.js';
import { M2mAuthGuard } from './guards/m2m-auth.guard.js';
import { M2M_ACCESS_TOKEN_VERIFIER, M2M_GUARD_OPTIONS } from './m2m.internal-constants.js';
import { RemoteTokenVerifier } from './verification/remote-token-verifier.service.js';
import type { M2mAccessTokenVerifierOptions } from './verification/verify-access-token.js';

/** Options of `M2mModule.forResourceServer()`: where the tokens come from and what to pin. */
export interface M2mResourceServerOptions extends M2mAccessTokenVerifierOptions {
  /** `realm` of the `WWW-Authenticate` challenges. @default 'm2m' */
  realm?: string;
}

/** Injection token of the resource-server options. */
export const M2M_RESOURCE_SERVER_OPTIONS = Symbol('M2M_RESOURCE_SERVER_OPTIONS');

function validated(options: M2mResourceServerOptions): M2mResourceServerOptions {
  const fail = (message: string): never => {
    throw new M2mConfigurationError(`M2mModule.forResourceServer: ${message}`);
  };
  try {
    new URL(options.issuer);
  } catch {
    fail('`issuer` must be the authorization server’s issuer URL, e.g. https://auth.example.com.');
  }
  if (typeof options.audience !== 'string' || options.audience === '') {
    fail('`audience` is required: the `aud` this API accepts.');
  }
  if (options.jwksUri !== undefined) {
    try {
      new URL(options.jwksUri);
    } catch {
      fail('`jwksUri` must be an absolute URL.');
    }
  }
  return options;
}

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
          new RemoteTokenVerifier(validated(options)),
      },
      { provide: M2M_ACCESS_TOKEN_VERIFIER, useExisting: RemoteTokenVerifier },
      {
        provide: M2M_GUARD_OPTIONS,
        inject: [M2M_RESOURCE_SERVER_OPTIONS],
        useFactory: (options: M2mResourceServerOptions) => ({ realm: options.realm ?? 'm2m' }),
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
