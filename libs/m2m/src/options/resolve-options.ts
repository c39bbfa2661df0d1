import { DEFAULT_CLOCK_TOLERANCE_SECONDS, DEFAULT_REALM } from './defaults.js';
import { M2M_SIGNING_ALGORITHMS, type M2mModuleOptions } from './module-options.js';
import {
  fail,
  integerIn,
  resolveIssuer,
  decodeKeyEncryptionKey,
  resolveClientLifetime,
  resolveMetadataClaims,
  resolveResources,
  resolveRegistration,
  resolveScopes,
  resolveRateLimit,
  resolveSecretVerification,
  resolvePrivateKeyJwt,
} from './option-sections.js';
import type { ResolvedM2mOptions } from './resolved-options.js';

/**
 * Validates the options and fills in the defaults. Runs once at start-up; its errors say what
 * to change.
 */
export function resolveM2mOptions(options: M2mModuleOptions): ResolvedM2mOptions {
  if (options === null || typeof options !== 'object') {
    fail('options are required: M2mModule.forRoot({ issuer, keyEncryptionKey }).');
  }
  const production = options.production ?? process.env['NODE_ENV'] === 'production';
  const issuer = resolveIssuer(options.issuer, production);
  const signingAlgorithm = options.signingAlgorithm ?? 'ES256';
  if (!M2M_SIGNING_ALGORITHMS.includes(signingAlgorithm)) {
    fail(
      `\`signingAlgorithm\` must be one of ${M2M_SIGNING_ALGORITHMS.join(', ')}; got "${String(signingAlgorithm)}".`,
    );
  }
  const bcryptCost = integerIn('bcryptCost', options.bcryptCost ?? 10, 4, 15);
  const resources = resolveResources(options.resources);
  if (production && bcryptCost < 10) {
    fail(`in production \`bcryptCost\` must be at least 10; got ${bcryptCost}.`);
  }
  const realm = options.realm ?? DEFAULT_REALM;
  if (!/^[\x20-\x7e]{1,100}$/.test(realm) || /["\\]/.test(realm)) {
    fail('`realm` must be 1 to 100 printable ASCII characters without quotes or backslashes.');
  }
  return {
    issuer,
    audience: options.audience ?? issuer,
    keyEncryptionKey: decodeKeyEncryptionKey(options.keyEncryptionKey),
    scopes: resolveScopes(options.scopes),
    resources,
    resourceScopes: new Set([...resources.values()].flat()),
    accessTokenTtlSeconds: integerIn(
      'accessTokenTtlSeconds',
      options.accessTokenTtlSeconds ?? 3600,
      60,
      86_400,
    ),
    signingAlgorithm,
    bcryptCost,
    clockToleranceSeconds: integerIn(
      'clockToleranceSeconds',
      options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS,
      0,
      60,
    ),
    realm,
    clientLifetime: resolveClientLifetime(options.clientLifetime),
    principalMetadata: options.principalMetadata ?? false,
    auditFlushIntervalMs: integerIn(
      'auditFlushIntervalMs',
      options.auditFlushIntervalMs ?? 1000,
      100,
      60_000,
    ),
    auditRetentionDays:
      options.auditRetentionDays === null
        ? null
        : integerIn('auditRetentionDays', options.auditRetentionDays ?? 365, 1, 36_500),
    revocationRefreshMs: integerIn(
      'revocationRefreshMs',
      options.revocationRefreshMs ?? 2000,
      100,
      60_000,
    ),
    metadataClaims: resolveMetadataClaims(options.metadataClaims),
    dynamicRegistration: resolveRegistration(options.dynamicRegistration),
    signingKeyRotationDays:
      options.signingKeyRotationDays == null
        ? null
        : integerIn('signingKeyRotationDays', options.signingKeyRotationDays, 1, 3660),
    rotationGraceSeconds:
      options.rotationGraceSeconds == null
        ? null
        : integerIn('rotationGraceSeconds', options.rotationGraceSeconds, 0, 366 * 24 * 3600),
    rateLimit: resolveRateLimit(options.rateLimit),
    credentialCache:
      options.credentialCache === false
        ? false
        : {
            maxEntries: integerIn(
              'credentialCache.maxEntries',
              options.credentialCache?.maxEntries ?? 10_000,
              1,
              10_000_000,
            ),
            ttlSeconds: integerIn(
              'credentialCache.ttlSeconds',
              options.credentialCache?.ttlSeconds ?? 3600,
              1,
              86_400,
            ),
          },
    tokenCache:
      options.tokenCache === false
        ? false
        : {
            maxEntries: integerIn(
              'tokenCache.maxEntries',
              options.tokenCache?.maxEntries ?? 10_000,
              1,
              10_000_000,
            ),
          },
    secretVerification: resolveSecretVerification(options.secretVerification),
    privateKeyJwt: resolvePrivateKeyJwt(options.privateKeyJwt),
    production,
  };
}
