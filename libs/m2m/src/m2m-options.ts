import type { CanActivate, Type } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { availableParallelism } from 'node:os';
import { JwksUriPolicy } from './clients/jwks-uri-policy.js';
import { isScopeToken } from './clients/scope.js';
import type { M2mSecretHasher } from './clients/secret-hasher.js';
import { M2mConfigurationError } from './errors/m2m-configuration.error.js';

/** JWS algorithms the module signs access tokens with. Symmetric algorithms are never offered. */
export const M2M_SIGNING_ALGORITHMS = ['ES256', 'EdDSA', 'RS256', 'PS256'] as const;

/** One of {@link M2M_SIGNING_ALGORITHMS}. */
export type M2mSigningAlgorithm = (typeof M2M_SIGNING_ALGORITHMS)[number];

/** Lifetimes of client credentials, in seconds. */
export interface M2mClientLifetimeOptions {
  /** Lifetime given to a client created without `expires_at`; `null` means it never expires. @default null */
  defaultSeconds?: number | null;
  /** Shortest lifetime a new client may be given. @default 60 */
  minSeconds?: number;
  /** Longest lifetime a client may be given; `null` allows clients that never expire. @default null */
  maxSeconds?: number | null;
}

/**
 * Limits of the client-authenticated endpoints (token, introspection, revocation). Only failed
 * authentications count, per source IP and per claimed `client_id`; once a budget is spent,
 * further attempts from that IP or for that client get `invalid_client` without any secret
 * verification. Successful clients never count against a budget, so many clients behind one
 * egress IP do not share one. An optional per-client quota limits issuance.
 */
export interface M2mRateLimitOptions {
  /** Failed authentications allowed per source IP and window. @default 20 */
  failuresPerIp?: number;
  /** Failed authentications allowed per claimed `client_id` and window. @default 10 */
  failuresPerClient?: number;
  /** Length of the failure window in seconds. @default 60 */
  windowSeconds?: number;
  /**
   * Tokens a client may obtain per window; past it the token endpoint answers 429 with
   * `Retry-After`. Off by default.
   * @example { limit: 600, windowSeconds: 60 }
   */
  issuanceQuota?: { limit: number; windowSeconds?: number } | null;
  /**
   * Where the counts live. The default is in memory, per instance; give a shared store such
   * as `M2mRedisRateLimitStorage` when several instances serve the token endpoint.
   */
  storage?: ThrottlerStorage;
}

/**
 * The token endpoint's cache of verified credentials. Once a client id and secret have passed
 * the secret hasher (bcrypt), later requests with the same pair compare a keyed HMAC instead.
 * Entries are dropped as soon as the client's credentials or state change.
 */
export interface M2mCredentialCacheOptions {
  /** Clients kept, least recently used first out. @default 10000 */
  maxEntries?: number;
  /** Seconds an entry lives after its verification. @default 3600 */
  ttlSeconds?: number;
}

/** The guard's cache of verified access tokens, each kept until it expires. */
export interface M2mTokenCacheOptions {
  /** Tokens kept, least recently used first out. @default 10000 */
  maxEntries?: number;
}

/** How slow secret verifications (bcrypt) are scheduled, and how failures are answered. */
export interface M2mSecretVerificationOptions {
  /** Verifications that run at once. @default the number of CPUs minus one, at least 1 */
  concurrency?: number;
  /** Verifications that may wait; past that a request gets 503 with `Retry-After`. @default 100 */
  maxQueued?: number;
  /**
   * No `invalid_client` answer leaves sooner than this many milliseconds after the request
   * arrived, whatever the cause, so timing does not tell causes apart and a caller that waits
   * for answers cannot try secrets quickly. 0 turns it off. @default 250
   */
  failureDelayMs?: number;
}

/** `private_key_jwt` clients: fetching their keys from `jwks_uri`, and their assertions. */
export interface M2mPrivateKeyJwtOptions {
  /** Largest `jwks_uri` response, in bytes; a longer one is cut off and fails. @default 65536 */
  maxJwksBytes?: number;
  /** Time a `jwks_uri` fetch may take, in milliseconds. @default 3000 */
  jwksTimeoutMs?: number;
  /** `jwks_uri` fetches in flight at once, across clients; past that an attempt fails. @default 4 */
  maxConcurrentFetches?: number;
  /**
   * In production a `jwks_uri` must be https and resolve to public addresses only. Addresses or
   * CIDR ranges listed here are allowed anyway, for private deployments.
   * @example ['10.20.0.0/16']
   * @default []
   */
  allowedNetworks?: string[];
  /**
   * Also accept the token endpoint URL as an assertion's `aud`, for clients written for RFC 7523
   * before its update (draft-ietf-oauth-rfc7523bis asks for the issuer identifier alone).
   * @default false
   */
  acceptTokenEndpointAudience?: boolean;
}

/** Dynamic client registration settings. */
export interface M2mDynamicRegistrationOptions {
  /** Initial access tokens (RFC 7591 §3), each at least 32 characters. */
  initialAccessTokens: string[];
  /** The scopes a registered client may ask for. @default [] */
  scopes?: string[];
}

/** Options of `M2mModule.forRoot()` / `forRootAsync()`. */
export interface M2mModuleOptions {
  /**
   * Issuer identifier (RFC 8414 §2): the base URL of this authorization server, without a
   * trailing slash. It is the `iss` of every token and the base of the advertised endpoints.
   * @example 'https://auth.example.com'
   */
  issuer: string;
  /**
   * Audience (`aud`) of issued tokens, which the guard requires.
   * @default the issuer
   */
  audience?: string;
  /**
   * Secret that encrypts the private signing keys at rest (AES-256-GCM): 32 random bytes, as
   * base64 / base64url text or as bytes. Generate one with `openssl rand -base64 32`.
   */
  keyEncryptionKey: string | Uint8Array;
  /**
   * Scopes to advertise in the metadata's `scopes_supported` besides those that
   * `@RequireScopes()` uses in this application (which are found at start-up), e.g. scopes
   * of other resource servers. Clients are not limited to these.
   * @default []
   */
  scopes?: string[];
  /**
   * Resource servers that clients can request tokens for with the `resource` (or `audience`)
   * parameter (RFC 8707), each with the scopes that belong to it: a token for one never carries
   * another's scopes. A client may use the resources in its `audiences`.
   * @example { 'https://orders.example.com': ['orders:read', 'orders:write'] }
   * @default {}
   */
  resources?: Record<string, string[]>;
  /** Lifetime of access tokens in seconds (60 to 86400). @default 3600 */
  accessTokenTtlSeconds?: number;
  /** JWS algorithm of new signing keys. @default 'ES256' */
  signingAlgorithm?: M2mSigningAlgorithm;
  /** bcrypt cost factor of client secrets (4 to 15; at least 10 in production). @default 10 */
  bcryptCost?: number;
  /** Leeway for `exp`, `nbf` and `iat` when verifying tokens, in seconds (0 to 60). @default 5 */
  clockToleranceSeconds?: number;
  /** `realm` of the `WWW-Authenticate` challenges. @default 'm2m' */
  realm?: string;
  /** Client credential lifetimes. */
  clientLifetime?: M2mClientLifetimeOptions;
  /**
   * Load the client's `metadata` into the principal that `@M2mClient()` injects. This costs
   * one database read per protected request. @default false
   */
  principalMetadata?: boolean;
  /**
   * How often buffered token-endpoint audit events and usage counters are written, in
   * milliseconds (100 to 60000). @default 1000
   */
  auditFlushIntervalMs?: number;
  /**
   * Audit events older than this many days are deleted (every hour, in batches); null keeps them
   * forever. Repeated failed authentications are summed per client id and minute whatever this
   * says, so a flood of bad credentials cannot fill the table.
   * @default 365
   */
  auditRetentionDays?: number | null;
  /**
   * How often each instance reloads the revocation list from the database, in milliseconds
   * (100 to 60000). Revocations made on an instance apply there at once; on the others within
   * this interval. @default 2000
   */
  revocationRefreshMs?: number;
  /**
   * Metadata keys copied into issued tokens, as the `metadata` claim, so that resource servers
   * and `@M2mClient()` see them without a database read. @default []
   */
  metadataClaims?: string[];
  /**
   * During a secret rotation, the current secret stops authenticating this many seconds after
   * the rotation started, unless the call says otherwise; null waits for `complete`.
   * @default null
   */
  rotationGraceSeconds?: number | null;
  /**
   * Rotate the signing key automatically once the active key is this many days old; null
   * rotates only on request (admin API, CLI). @default null
   */
  signingKeyRotationDays?: number | null;
  /**
   * Dynamic client registration (RFC 7591 / 7592), off unless given: `POST /oauth2/register`
   * accepts a registration only with one of `initialAccessTokens` as a bearer token, and grants
   * at most `scopes`.
   */
  dynamicRegistration?: M2mDynamicRegistrationOptions;
  /** Failure budgets and the issuance quota, or `false` to turn every limit off. */
  rateLimit?: M2mRateLimitOptions | false;
  /** Verified-credential cache of the token endpoint, or `false` to hash every attempt. */
  credentialCache?: M2mCredentialCacheOptions | false;
  /** The guard's cache of verified access tokens, or `false` to verify every signature. */
  tokenCache?: M2mTokenCacheOptions | false;
  /** Scheduling of slow secret verifications and the answer time of failures. */
  secretVerification?: M2mSecretVerificationOptions;
  /** Fetching the keys of `private_key_jwt` clients, and what their assertions may say. */
  privateKeyJwt?: M2mPrivateKeyJwtOptions;
  /**
   * Production mode refuses unsafe configuration (an `http:` issuer other than localhost, a
   * bcrypt cost below 10).
   * @default process.env.NODE_ENV === 'production'
   */
  production?: boolean;
}

/** Options of the Prometheus metrics (the `metrics` module option). */
export interface M2mMetricsOptions {
  /** Route of the Prometheus text endpoint. @default 'metrics' */
  path?: string;
  /**
   * Add a `client_id` label to the request counter for successful requests. The number of
   * series then grows with the number of clients: turn it on only for small fleets.
   * @default false
   */
  clientLabels?: boolean;
  /** Also export Node.js process metrics (memory, CPU, event loop). @default true */
  processMetrics?: boolean;
}

/** Options that change the shape of the module; given to `forRoot` / `forRootAsync` directly. */
export interface M2mModuleExtras {
  /** Register the module globally, so that guards work in every module. @default false */
  isGlobal?: boolean;
  /** Mount the admin API controller (`/m2m/clients`). @default true */
  admin?: boolean;
  /**
   * Guard class that protects the admin API instead of the default (a bearer token with the
   * `m2m:admin` scope). It is taken from the host's providers when registered there, otherwise
   * instantiated with the module's providers.
   */
  adminGuard?: Type<CanActivate>;
  /** Name of the TypeORM data source the module uses. @default the default data source */
  dataSource?: string;
  /**
   * Class that hashes and verifies client secrets instead of bcrypt (cost 12). It must still
   * verify the hashes already stored (`$2b$…`, e.g. with bcrypt's `compare`). The module
   * instantiates it (it may inject the module's providers).
   */
  secretHasher?: Type<M2mSecretHasher>;
  /**
   * Mount the owner API (`/m2m/owner/clients`): "manage my own clients" for the host's users
   * or tenants. `guard` authenticates them and must put their owner id in
   * `request.m2mOwnerId`; `scopes` are the scopes an owner may give its clients.
   */
  ownerApi?: M2mOwnerApiOptions;
  /**
   * Serve Prometheus metrics of the hot paths (requests by outcome, latency, cache hit ratios,
   * the verification queue, limits, guard rejections) at `path`. Off by default; protect the
   * route (or keep it on an internal network) as you would any metrics endpoint.
   * @example { path: 'metrics' }
   */
  metrics?: boolean | M2mMetricsOptions;
}

/** The owner API's guard and policy. */
export interface M2mOwnerApiOptions {
  guard: Type<CanActivate>;
  /** The scopes an owner may give its clients. */
  scopes: string[];
  /**
   * The audiences (keys of `resources`) an owner may give its clients; none unless listed, as
   * with scopes: a tenant never grants itself access to another API.
   * @default []
   */
  audiences?: string[];
}

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

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function fail(message: string): never {
  // The first option named in the message is the one at fault.
  const option = /`([A-Za-z][\w.]*)`/.exec(message)?.[1];
  throw new M2mConfigurationError(`M2mModule: ${message}`, option);
}

function integerIn(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    fail(`${name} must be an integer from ${min} to ${max}; got ${String(value)}.`);
  }
  return value;
}

function resolveIssuer(given: unknown, production: boolean): string {
  // Surrounding whitespace (a trailing newline in an env file) would end up in every `iss`.
  const issuer = typeof given === 'string' ? given.trim() : given;
  if (typeof issuer !== 'string' || issuer === '') {
    fail('`issuer` is required: the base URL of this server, e.g. https://auth.example.com.');
  }
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    fail(`\`issuer\` must be an absolute URL; got "${issuer}".`);
  }
  // RFC 8414 §2: https, no query, no fragment.
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    fail(`\`issuer\` must be an https URL; got "${issuer}".`);
  }
  if (url.search !== '' || url.hash !== '' || issuer.includes('?') || issuer.includes('#')) {
    fail(`\`issuer\` must not have a query or fragment; got "${issuer}".`);
  }
  if (production && url.protocol === 'http:' && !LOCAL_HOSTS.has(url.hostname)) {
    fail(
      `in production \`issuer\` must be an https URL; got "${issuer}". Set it to the public https URL.`,
    );
  }
  return issuer.replace(/\/+$/, '');
}

/** Decodes the key-encryption secret; exactly 32 bytes are required for AES-256-GCM. */
export function decodeKeyEncryptionKey(value: unknown): Buffer {
  let bytes: Buffer;
  if (value instanceof Uint8Array) {
    bytes = Buffer.from(value);
  } else if (typeof value === 'string' && /^[A-Za-z0-9+/_-]+={0,2}$/.test(value.trim())) {
    bytes = Buffer.from(
      value.trim(),
      value.includes('-') || value.includes('_') ? 'base64url' : 'base64',
    );
  } else {
    fail(
      '`keyEncryptionKey` is required: 32 random bytes, base64-encoded. Generate one with `openssl rand -base64 32`.',
    );
  }
  if (bytes.length !== 32) {
    fail(
      `\`keyEncryptionKey\` must decode to exactly 32 bytes; it decodes to ${bytes.length}. Generate one with \`openssl rand -base64 32\`.`,
    );
  }
  return bytes;
}

function resolveClientLifetime(
  lifetime: M2mClientLifetimeOptions | undefined,
): Required<M2mClientLifetimeOptions> {
  const year = 366 * 24 * 3600;
  const min = integerIn('clientLifetime.minSeconds', lifetime?.minSeconds ?? 60, 1, 100 * year);
  const max =
    lifetime?.maxSeconds == null
      ? null
      : integerIn('clientLifetime.maxSeconds', lifetime.maxSeconds, min, 100 * year);
  const def =
    lifetime?.defaultSeconds == null
      ? null
      : integerIn('clientLifetime.defaultSeconds', lifetime.defaultSeconds, min, max ?? 100 * year);
  if (def === null && max !== null) {
    fail(
      '`clientLifetime.defaultSeconds` is required when `clientLifetime.maxSeconds` is set, since clients without an expiry would exceed it.',
    );
  }
  return { defaultSeconds: def, minSeconds: min, maxSeconds: max };
}

function resolveMetadataClaims(keys: unknown): string[] {
  if (keys === undefined) return [];
  if (
    !Array.isArray(keys) ||
    !keys.every((k) => typeof k === 'string' && /^[A-Za-z0-9_.:-]{1,40}$/.test(k))
  ) {
    fail(
      '`metadataClaims` must be an array of metadata keys (1 to 40 characters of A-Z a-z 0-9 _ . : -).',
    );
  }
  return [...new Set(keys as string[])];
}

function resolveResources(resources: unknown): Map<string, string[]> {
  const map = new Map<string, string[]>();
  if (resources === undefined) return map;
  if (typeof resources !== 'object' || resources === null || Array.isArray(resources)) {
    fail(
      '`resources` must map resource URIs to their scopes, e.g. { "https://orders.example.com": ["orders:read"] }.',
    );
  }
  for (const [uri, scopes] of Object.entries(resources as Record<string, unknown>)) {
    let url: URL | undefined;
    try {
      url = new URL(uri);
    } catch {
      url = undefined;
    }
    // RFC 8707 §2: an absolute URI without a fragment.
    if (url === undefined || uri.includes('#') || uri.includes(' ')) {
      fail(`\`resources\` key "${uri}" must be an absolute URI without a fragment.`);
    }
    if (!Array.isArray(scopes) || !scopes.every((s) => typeof s === 'string' && isScopeToken(s))) {
      fail(`\`resources["${uri}"]\` must be an array of scope tokens.`);
    }
    map.set(uri, [...new Set(scopes as string[])]);
  }
  return map;
}

function resolveRegistration(
  registration: M2mDynamicRegistrationOptions | undefined,
): ResolvedM2mOptions['dynamicRegistration'] {
  if (registration === undefined) return null;
  const tokens = registration.initialAccessTokens;
  if (
    !Array.isArray(tokens) ||
    tokens.length === 0 ||
    !tokens.every((t) => typeof t === 'string' && t.length >= 32)
  ) {
    fail(
      '`dynamicRegistration.initialAccessTokens` must list tokens of at least 32 characters (e.g. openssl rand -base64 32).',
    );
  }
  return { initialAccessTokens: [...tokens], scopes: resolveScopes(registration.scopes) };
}

function resolveScopes(scopes: unknown): string[] {
  if (scopes === undefined) return [];
  if (!Array.isArray(scopes) || !scopes.every((s) => typeof s === 'string' && isScopeToken(s))) {
    fail('`scopes` must be an array of scope tokens (printable ASCII without spaces or quotes).');
  }
  return [...new Set(scopes as string[])];
}

function resolveRateLimit(
  limit: M2mRateLimitOptions | false | undefined,
): ResolvedRateLimit | false {
  if (limit === false) return false;
  const quota = limit?.issuanceQuota ?? null;
  return {
    failuresPerIp: integerIn('rateLimit.failuresPerIp', limit?.failuresPerIp ?? 20, 1, 1_000_000),
    failuresPerClient: integerIn(
      'rateLimit.failuresPerClient',
      limit?.failuresPerClient ?? 10,
      1,
      1_000_000,
    ),
    windowSeconds: integerIn('rateLimit.windowSeconds', limit?.windowSeconds ?? 60, 1, 86_400),
    issuanceQuota:
      quota === null
        ? null
        : {
            limit: integerIn('rateLimit.issuanceQuota.limit', quota.limit, 1, 100_000_000),
            windowSeconds: integerIn(
              'rateLimit.issuanceQuota.windowSeconds',
              quota.windowSeconds ?? 60,
              1,
              86_400,
            ),
          },
    storage: limit?.storage,
  };
}

function resolveSecretVerification(
  given: M2mSecretVerificationOptions | undefined,
): Required<M2mSecretVerificationOptions> {
  return {
    concurrency: integerIn(
      'secretVerification.concurrency',
      given?.concurrency ?? Math.max(1, availableParallelism() - 1),
      1,
      64,
    ),
    maxQueued: integerIn('secretVerification.maxQueued', given?.maxQueued ?? 100, 0, 100_000),
    failureDelayMs: integerIn(
      'secretVerification.failureDelayMs',
      given?.failureDelayMs ?? 250,
      0,
      10_000,
    ),
  };
}

function resolvePrivateKeyJwt(
  given: M2mPrivateKeyJwtOptions | undefined,
): Required<M2mPrivateKeyJwtOptions> {
  const allowedNetworks = given?.allowedNetworks ?? [];
  const bad = Array.isArray(allowedNetworks)
    ? JwksUriPolicy.invalidNetwork(allowedNetworks)
    : String(allowedNetworks);
  if (bad !== null) {
    fail(
      `\`privateKeyJwt.allowedNetworks\` must list IP addresses or CIDR ranges such as 10.20.0.0/16; got "${bad}".`,
    );
  }
  return {
    maxJwksBytes: integerIn(
      'privateKeyJwt.maxJwksBytes',
      given?.maxJwksBytes ?? 65_536,
      1024,
      1_048_576,
    ),
    jwksTimeoutMs: integerIn(
      'privateKeyJwt.jwksTimeoutMs',
      given?.jwksTimeoutMs ?? 3000,
      100,
      30_000,
    ),
    maxConcurrentFetches: integerIn(
      'privateKeyJwt.maxConcurrentFetches',
      given?.maxConcurrentFetches ?? 4,
      1,
      100,
    ),
    allowedNetworks: [...allowedNetworks],
    acceptTokenEndpointAudience: given?.acceptTokenEndpointAudience ?? false,
  };
}

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
  const realm = options.realm ?? 'm2m';
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
      options.clockToleranceSeconds ?? 5,
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
