import type { CryptoKey, JWK } from 'jose';

/** How the client authenticates at the token endpoint (RFC 6749 §2.3, RFC 7523). */
export type M2mClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';

/** The `fetch` the client sends its requests with. */
export type M2mFetch = typeof fetch;

/** Retries of token requests after network errors, 5xx and 429 answers. */
export interface M2mRetryOptions {
  /**
   * Attempts in all, the first one included; 1 turns retries off.
   * @default 4
   */
  maxAttempts?: number;
  /**
   * The ceiling of the first backoff; it doubles with every attempt (full jitter).
   * @default 200
   */
  baseDelayMs?: number;
  /**
   * The longest wait between two attempts. A `Retry-After` longer than this ends the retries.
   * @default 10000
   */
  maxDelayMs?: number;
}

/** The options of `new M2mTokenClient()`. */
export interface M2mTokenClientOptions {
  /**
   * The authorization server's issuer identifier; the token endpoint is discovered from its
   * RFC 8414 metadata (or OpenID Connect discovery), once. Give this or `tokenEndpoint`.
   * @example 'https://auth.example.com'
   */
  issuer?: string;
  /** The token endpoint URL, when there is no discovery. Give this or `issuer`. */
  tokenEndpoint?: string;
  /** The client identifier. */
  clientId: string;
  /** The client secret, for `client_secret_basic` and `client_secret_post`. */
  clientSecret?: string;
  /** The private key that signs the client assertions of `private_key_jwt`. */
  privateKey?: CryptoKey | JWK;
  /** The `kid` of the assertion header; a JWK's own `kid` by default. */
  kid?: string;
  /**
   * The JWS algorithm of the assertions; a JWK's own `alg`, or the one the key's type implies
   * (ES256, ES384, ES512, EdDSA, RS256, PS256).
   */
  alg?: string;
  /**
   * The `aud` of the assertions: the issuer identifier when it is known (as
   * draft-ietf-oauth-rfc7523bis asks), else the token endpoint URL.
   */
  assertionAudience?: string;
  /**
   * How the client authenticates: `private_key_jwt` when a `privateKey` is given, else
   * `client_secret_basic`.
   */
  authMethod?: M2mClientAuthMethod;
  /** The scopes to ask for when `getToken()` names none; none means the server's default. */
  scopes?: readonly string[];
  /** The resource (RFC 8707) to ask a token for when `getToken()` names none. */
  resource?: string;
  /**
   * Tokens are treated as expired this long before `expires_in` says, to cover network delay
   * and resource servers whose clocks run ahead (at most a quarter of the lifetime).
   * @default 30
   */
  expirySkewSeconds?: number;
  /**
   * A new token is fetched in the background this long before the cached one expires, while
   * callers keep getting the cached one (at most half of the lifetime).
   * @default 60
   */
  refreshAheadSeconds?: number;
  /**
   * The lifetime assumed when a token response has no `expires_in`.
   * @default 60
   */
  defaultExpiresInSeconds?: number;
  /**
   * How long one HTTP request to the authorization server may take.
   * @default 10000
   */
  timeoutMs?: number;
  /** Retries of token and discovery requests. */
  retry?: M2mRetryOptions;
  /** The `fetch` to send requests with (e.g. one with a proxy); the global one by default. */
  fetch?: M2mFetch;
}
