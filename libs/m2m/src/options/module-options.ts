import type { ThrottlerStorage } from '@nestjs/throttler';

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
