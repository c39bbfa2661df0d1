import type { ThrottlerStorage } from '@nestjs/throttler';
import type {
  M2mClientLifetimeOptions,
  M2mCredentialCacheOptions,
  M2mPrivateKeyJwtOptions,
  M2mSecretVerificationOptions,
  M2mSigningAlgorithm,
  M2mTokenCacheOptions,
} from './module-options.js';

/** {@link M2mRateLimitOptions} with the defaults filled in. */
export interface ResolvedRateLimit {
  failuresPerIp: number;
  failuresPerClient: number;
  windowSeconds: number;
  issuanceQuota: { limit: number; windowSeconds: number } | null;
  storage: ThrottlerStorage | undefined;
}

/** The options after validation, with every default filled in. */
export interface ResolvedM2mOptions {
  issuer: string;
  audience: string;
  keyEncryptionKey: Buffer;
  /** Extra scopes to advertise. */
  scopes: string[];
  /** Resource URI → its scopes. */
  resources: ReadonlyMap<string, readonly string[]>;
  /** Every scope that belongs to some resource (not to the default audience). */
  resourceScopes: ReadonlySet<string>;
  accessTokenTtlSeconds: number;
  signingAlgorithm: M2mSigningAlgorithm;
  bcryptCost: number;
  clockToleranceSeconds: number;
  realm: string;
  clientLifetime: Required<M2mClientLifetimeOptions>;
  principalMetadata: boolean;
  auditFlushIntervalMs: number;
  auditRetentionDays: number | null;
  revocationRefreshMs: number;
  metadataClaims: string[];
  rotationGraceSeconds: number | null;
  signingKeyRotationDays: number | null;
  dynamicRegistration: { initialAccessTokens: string[]; scopes: string[] } | null;
  rateLimit: ResolvedRateLimit | false;
  credentialCache: Required<M2mCredentialCacheOptions> | false;
  tokenCache: Required<M2mTokenCacheOptions> | false;
  secretVerification: Required<M2mSecretVerificationOptions>;
  privateKeyJwt: Required<M2mPrivateKeyJwtOptions>;
  production: boolean;
}

/**
 * When every token issued at `at` (ms) has expired, leeway included: how long a revocation, a
 * retired key or anything else a token could still need must be kept.
 */
export function tokensIssuedAtGoneBy(options: ResolvedM2mOptions, at: number): number {
  return at + (options.accessTokenTtlSeconds + options.clockToleranceSeconds) * 1000;
}
