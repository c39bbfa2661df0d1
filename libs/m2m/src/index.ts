// The public API of nestjs-m2m: what host apps, resource servers and operators use. Every export
// is listed in docs/api-reference.md (a test keeps the two equal). Internal files never import
// from here.

export { M2mModule } from './m2m.module.js';
export { M2mResourceServerModule } from './m2m-resource-server.module.js';
export { type M2mResourceServerOptions } from './options/resource-server-options.js';
export {
  createAccessTokenVerifier,
  type M2mAccessTokenVerifier,
  type M2mVerifyOptions,
} from './verification/verify-access-token.js';
export { type M2mAccessTokenVerifierOptions } from './options/resource-server-options.js';
export { AccessTokenError, type AccessTokenErrorCode } from './errors/access-token.error.js';
export {
  M2M_SIGNING_ALGORITHMS,
  type M2mClientLifetimeOptions,
  type M2mModuleOptions,
  type M2mRateLimitOptions,
  type M2mSigningAlgorithm,
} from './options/module-options.js';
export {
  type M2mConsoleOptions,
  type M2mModuleExtras,
  type M2mOwnerApiOptions,
} from './options/module-extras.js';
export {
  M2M_ADMIN_SCOPE,
  M2M_INTROSPECT_SCOPE,
  M2M_OWNER_REQUEST_PROPERTY,
  M2M_SECRET_HASHER,
  M2M_SECURITY_SCHEME,
} from './m2m.constants.js';

export { ClientsService } from './clients/clients.service.js';
export {
  ClientSecretsService,
  type M2mStartRotationOptions,
} from './clients/client-secrets.service.js';
export { AuditLog } from './audit/audit-log.service.js';
export { type M2mAuditPage, type M2mAuditQuery } from './audit/audit-records.js';
export {
  M2M_AUDIT_EVENT_TYPES,
  type M2mActor,
  type M2mAuditEvent,
  type M2mAuditEventType,
} from './domain/audit-event.js';
export { TokenRevocationService } from './revocation/token-revocation.service.js';
export type {
  M2mClientMetadata,
  M2mClientPage,
  M2mClientStatus,
  M2mClientView,
  M2mCreateClientInput,
  M2mCreatedClient,
  M2mListClientsQuery,
  M2mNextSecretView,
  M2mRotationStarted,
  M2mMetadataValue,
  M2mUpdateClientInput,
} from './clients/client.model.js';
export type { M2mCallContext } from './domain/call-context.js';
export type { M2mSecretHasher } from './domain/secret-hasher.js';
export { BcryptSecretHasher } from './clients/bcrypt-secret-hasher.js';

export {
  TokenService,
  type M2mTokenResponse,
  type M2mTokenSubject,
} from './tokens/token.service.js';
export { SigningKeysService } from './keys/signing-keys.service.js';
export { type M2mSigningKeyView } from './keys/signing-key.model.js';
export type { M2mIntrospection } from './tokens/token-introspection.service.js';
export { TokenVerifier } from './verification/token-verifier.service.js';
export { M2mAuthGuard } from './guards/m2m-auth.guard.js';
export type { M2mPrincipal } from './domain/principal.js';

export { RequireScopes } from './decorators/require-scopes.decorator.js';
export { M2mClient } from './decorators/m2m-client.decorator.js';
export { m2mSecurityScheme } from './oauth/openapi.js';
export { m2mSecuritySchemeOf } from './oauth/openapi.js';
export { configureM2mHttp, type M2mHttpOptions } from './http/configure-http.js';
export { m2mFastifyFrameworkErrors } from './http/fastify-framework-errors.js';
export {
  M2mRedisRateLimitStorage,
  type M2mRedisEvalClient,
} from './rate-limit/redis-rate-limit.storage.js';

export { M2mConfigurationError } from './errors/m2m-configuration.error.js';
export { describeM2mStartupError, type M2mSettingNames } from './m2m-startup-error.js';
export { BearerTokenError } from './http/bearer-token.error.js';
export {
  ClientNotFoundError,
  ClientStateError,
  ClientValidationError,
  SigningKeyConflictError,
} from './errors/admin.error.js';

export { M2M_ENTITIES, M2M_MIGRATIONS } from './persistence/m2m-persistence.js';

export { runM2mCli, type M2mCliOptions } from './cli/run-cli.js';
export type { M2mCliIo } from './cli/cli-output.js';
