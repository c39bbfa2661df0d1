import { type CanActivate, type DynamicModule, type Provider, type Type } from '@nestjs/common';
import { APP_FILTER, DiscoveryModule, ModuleRef } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditLog } from './audit/audit-log.service.js';
import { AuditRetention } from './audit/audit-retention.service.js';
import { ClientSecretsService } from './clients/client-secrets.service.js';
import { ClientAssertionVerifier } from './tokens/client-assertion-verifier.service.js';
import { RemoteJwksService } from './tokens/remote-jwks.service.js';
import { RevocationList } from './revocation/revocation-list.service.js';
import { TokenRevocationService } from './revocation/token-revocation.service.js';
import { AuditAdminController } from './admin/audit-admin.controller.js';
import { RevocationsAdminController } from './admin/revocations-admin.controller.js';
import { ClientsAdminController } from './admin/clients-admin.controller.js';
import { KeysAdminController } from './admin/keys-admin.controller.js';
import { BcryptSecretHasher } from './clients/bcrypt-secret-hasher.js';
import { ClientsService } from './clients/clients.service.js';
import { BearerExceptionFilter } from './http/bearer-exception.filter.js';
import { OAuthExceptionFilter } from './http/oauth-exception.filter.js';
import { ProblemDetailsFilter } from './http/problem-details.filter.js';
import { AdminAccessGuard, M2mAdminScopeGuard } from './guards/admin-access.guard.js';
import { M2mBearerStrategy } from './guards/bearer.strategy.js';
import { M2mAuthGuard } from './guards/m2m-auth.guard.js';
import { SigningKeysService } from './keys/signing-keys.service.js';
import { OwnerClientsController } from './admin/owner-clients.controller.js';
import { ownerApiOptions } from './options/owner-api-options.js';
import { M2mConfigurationError } from './errors/m2m-configuration.error.js';
import { typeOrmStoreProviders } from './persistence/typeorm-stores.providers.js';
import { OwnerAccessGuard } from './guards/owner-access.guard.js';
import {
  M2M_ADMIN_GUARD,
  M2M_OWNER_GUARD,
  M2M_RATE_LIMIT_STORAGE,
  M2M_SECRET_HASHER,
} from './m2m.constants.js';
import { consoleController } from './console/console.controller.js';
import { loadConsoleAssets } from './console/console-assets.js';
import { OwnerAccountController } from './admin/owner-account.controller.js';
import {
  M2M_ACCESS_TOKEN_VERIFIER,
  M2M_CONSOLE_ASSETS,
  M2M_GUARD_OPTIONS,
  M2M_OWNER_API_OPTIONS,
  M2M_RESOLVED_OPTIONS,
} from './m2m.internal-constants.js';
import { M2M_MODULE_OPTIONS } from './m2m.module-options-token.js';
import { resolveM2mOptions } from './options/resolve-options.js';
import type { M2mMetricsOptions, M2mModuleExtras } from './options/module-extras.js';
import { type M2mModuleOptions } from './options/module-options.js';
import { type ResolvedM2mOptions } from './options/resolved-options.js';
import { OAuthController } from './oauth/oauth.controller.js';
import { OAuthMethodsController } from './oauth/oauth-methods.controller.js';
import { RequestErrorHandler } from './http/request-error.handler.js';
import { RegistrationController } from './registration/registration.controller.js';
import { ClientRegistrationService } from './registration/client-registration.service.js';
import { ServerMetadataService } from './oauth/server-metadata.service.js';
import { M2mMemoryRateLimitStorage } from './rate-limit/memory-rate-limit.storage.js';
import { VerifiedCredentialCache } from './clients/verified-credential-cache.service.js';
import { M2mMetrics } from './metrics/m2m-metrics.js';
import { metricsController } from './metrics/metrics.controller.js';
import { M2mPrometheusMetrics } from './metrics/prometheus-metrics.js';
import { ChangeFeed } from './revocation/change-feed.service.js';
import { FailureBudget } from './tokens/failure-budget.service.js';
import { IssuanceQuota } from './tokens/issuance-quota.service.js';
import { SecretVerificationQueue } from './tokens/secret-verification-queue.js';
import { ClientStore } from './stores/client-store.js';
import { M2M_ENTITIES } from './persistence/m2m-persistence.js';
import { ClientAuthenticator } from './tokens/client-authenticator.service.js';
import { TokenIntrospectionService } from './tokens/token-introspection.service.js';
import { TokenService } from './tokens/token.service.js';
import { TokenVerifier } from './verification/token-verifier.service.js';
import {
  M2M_CLIENT_METADATA_LOOKUP,
  type ClientMetadataLookup,
} from './verification/client-metadata-lookup.js';

/**
 * A host-supplied guard: taken from the host's providers when registered there, otherwise
 * instantiated with this module's providers.
 */
function hostGuard(token: symbol, guard: Type<CanActivate>): Provider {
  return {
    provide: token,
    inject: [ModuleRef],
    useFactory: async (moduleRef: ModuleRef): Promise<CanActivate> => {
      try {
        return moduleRef.get(guard, { strict: false });
      } catch {
        return moduleRef.create(guard);
      }
    },
  };
}

/** The console's route: segments without leading, trailing or doubled slashes. */
const CONSOLE_ROUTE = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;

function resolveMetricsOptions(metrics: M2mModuleExtras['metrics']): M2mMetricsOptions | null {
  if (metrics === undefined || metrics === false) return null;
  const options = metrics === true ? {} : metrics;
  if (options.path !== undefined && !/^[A-Za-z0-9/_.-]{1,100}$/.test(options.path)) {
    throw new M2mConfigurationError(
      'M2mModule: `metrics.path` must be a route such as "metrics" or "internal/metrics".',
    );
  }
  return options;
}

/** The console's route, or null when the console is off. */
function resolveConsolePath(option: M2mModuleExtras['console']): string | null {
  if (option === undefined || option === false) return null;
  const path = option === true ? undefined : option.path;
  if (path === undefined) return 'm2m/console';
  if (typeof path !== 'string' || path.length > 100 || !CONSOLE_ROUTE.test(path)) {
    throw new M2mConfigurationError(
      'M2mModule: `console.path` must be a route such as "m2m/console" or "admin/m2m".',
      'console',
    );
  }
  return path;
}

/** Builds the module's shape from the build-time extras; shared by forRoot and forRootAsync. */
export function shapeM2mModule(definition: DynamicModule, extras: M2mModuleExtras): DynamicModule {
  const dataSource = extras.dataSource;
  const metricsOptions = resolveMetricsOptions(extras.metrics);
  const consolePath = resolveConsolePath(extras.console);
  const providers: Provider[] = [
    {
      provide: M2M_RESOLVED_OPTIONS,
      inject: [M2M_MODULE_OPTIONS],
      useFactory: (options: M2mModuleOptions) => resolveM2mOptions(options),
    },
    { provide: M2M_SECRET_HASHER, useClass: extras.secretHasher ?? BcryptSecretHasher },
    {
      provide: M2M_RATE_LIMIT_STORAGE,
      inject: [M2M_RESOLVED_OPTIONS],
      useFactory: (options: ResolvedM2mOptions) =>
        (options.rateLimit === false ? undefined : options.rateLimit.storage) ??
        new M2mMemoryRateLimitStorage(),
    },
    ...typeOrmStoreProviders(dataSource),
    RemoteJwksService,
    ClientAssertionVerifier,
    ClientRegistrationService,
    AuditLog,
    AuditRetention,
    RevocationList,
    ChangeFeed,
    VerifiedCredentialCache,
    FailureBudget,
    SecretVerificationQueue,
    IssuanceQuota,
    metricsOptions === null
      ? { provide: M2mMetrics, useValue: new M2mMetrics() }
      : {
          provide: M2mMetrics,
          inject: [SecretVerificationQueue],
          useFactory: (queue: SecretVerificationQueue) =>
            new M2mPrometheusMetrics(metricsOptions, queue),
        },
    TokenRevocationService,
    ClientSecretsService,
    ClientsService,
    ClientAuthenticator,
    TokenService,
    TokenIntrospectionService,
    SigningKeysService,
    {
      provide: M2M_CLIENT_METADATA_LOOKUP,
      inject: [ClientStore],
      useFactory: (clients: ClientStore): ClientMetadataLookup => ({
        metadataOf: async (clientId) => (await clients.findById(clientId))?.metadata ?? null,
      }),
    },
    TokenVerifier,
    { provide: M2M_ACCESS_TOKEN_VERIFIER, useExisting: TokenVerifier },
    {
      provide: M2M_GUARD_OPTIONS,
      inject: [M2M_RESOLVED_OPTIONS],
      useFactory: (options: ResolvedM2mOptions) => ({ realm: options.realm }),
    },
    M2mBearerStrategy,
    M2mAuthGuard,
    M2mAdminScopeGuard,
    AdminAccessGuard,
    ServerMetadataService,
    RequestErrorHandler,
    BearerExceptionFilter,
    OAuthExceptionFilter,
    ProblemDetailsFilter,
    { provide: APP_FILTER, useExisting: BearerExceptionFilter },
    extras.adminGuard === undefined
      ? { provide: M2M_ADMIN_GUARD, useExisting: M2mAdminScopeGuard }
      : hostGuard(M2M_ADMIN_GUARD, extras.adminGuard),
    ...(extras.ownerApi === undefined
      ? []
      : [
          hostGuard(M2M_OWNER_GUARD, extras.ownerApi.guard),
          { provide: M2M_OWNER_API_OPTIONS, useValue: ownerApiOptions(extras.ownerApi) },
          OwnerAccessGuard,
        ]),
    ...(consolePath === null
      ? []
      : [{ provide: M2M_CONSOLE_ASSETS, useFactory: () => loadConsoleAssets() }]),
  ];
  return {
    ...definition,
    global: extras.isGlobal ?? false,
    imports: [
      ...(definition.imports ?? []),
      DiscoveryModule,
      TypeOrmModule.forFeature(M2M_ENTITIES, dataSource),
    ],
    controllers: [
      OAuthController,
      OAuthMethodsController,
      RegistrationController,
      ...(extras.admin === false
        ? []
        : [
            ClientsAdminController,
            AuditAdminController,
            RevocationsAdminController,
            KeysAdminController,
          ]),
      ...(extras.ownerApi === undefined ? [] : [OwnerClientsController, OwnerAccountController]),
      ...(metricsOptions === null ? [] : [metricsController(metricsOptions.path ?? 'metrics')]),
      ...(consolePath === null ? [] : [consoleController(consolePath)]),
    ],
    providers: [...(definition.providers ?? []), ...providers],
    exports: [
      M2M_RESOLVED_OPTIONS,
      M2M_GUARD_OPTIONS,
      M2M_SECRET_HASHER,
      ClientsService,
      ClientSecretsService,
      AuditLog,
      RevocationList,
      M2mMetrics,
      TokenRevocationService,
      TokenService,
      TokenVerifier,
      SigningKeysService,
      M2mBearerStrategy,
      M2mAuthGuard,
      BearerExceptionFilter,
    ],
  };
}
