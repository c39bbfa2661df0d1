import type { CryptoKey, JWK } from 'jose';
import { M2mConfigurationError } from '../errors/m2m-client.error.js';
import type {
  M2mClientAuthMethod,
  M2mFetch,
  M2mTokenClientOptions,
} from './token-client.options.js';

/** The client's credentials, one shape per authentication method. */
export type ClientCredentials =
  | { method: 'client_secret_basic' | 'client_secret_post'; clientId: string; secret: string }
  | {
      method: 'private_key_jwt';
      clientId: string;
      key: CryptoKey | JWK;
      kid: string | undefined;
      alg: string | undefined;
      audience: string | undefined;
    };

/** The options with every default filled in and checked. */
export interface ResolvedOptions {
  issuer: string | undefined;
  tokenEndpoint: string | undefined;
  credentials: ClientCredentials;
  scopes: readonly string[];
  resource: string | undefined;
  expirySkewMs: number;
  refreshAheadMs: number;
  defaultExpiresInMs: number;
  timeoutMs: number;
  retry: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number };
  fetch: M2mFetch;
}

function fail(message: string): never {
  throw new M2mConfigurationError(message);
}

function absoluteUrl(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail(`${name} must be an absolute URL; got "${value}".`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    fail(`${name} must be an http(s) URL; got "${value}".`);
  }
  return value;
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) fail(`${name} must be a number ≥ 0; got ${value}.`);
  return value;
}

function credentialsOf(options: M2mTokenClientOptions): ClientCredentials {
  const method: M2mClientAuthMethod =
    options.authMethod ??
    (options.privateKey !== undefined ? 'private_key_jwt' : 'client_secret_basic');
  if (method === 'private_key_jwt') {
    if (options.privateKey === undefined) fail('authMethod private_key_jwt needs a privateKey.');
    if (options.clientSecret !== undefined) {
      fail('Give clientSecret or privateKey, not both: private_key_jwt sends no secret.');
    }
    return {
      method,
      clientId: options.clientId,
      key: options.privateKey,
      kid: options.kid,
      alg: options.alg,
      audience: options.assertionAudience,
    };
  }
  if (method !== 'client_secret_basic' && method !== 'client_secret_post') {
    fail(
      `authMethod must be client_secret_basic, client_secret_post or private_key_jwt; got "${String(method)}".`,
    );
  }
  if (typeof options.clientSecret !== 'string' || options.clientSecret === '') {
    fail(`authMethod ${method} needs a clientSecret (or give a privateKey for private_key_jwt).`);
  }
  if (options.privateKey !== undefined) {
    fail(`Give clientSecret or privateKey, not both: ${method} sends the secret.`);
  }
  return { method, clientId: options.clientId, secret: options.clientSecret };
}

/** Fills in the defaults and checks the options; the error message says what to change. */
export function resolveOptions(options: M2mTokenClientOptions): ResolvedOptions {
  if (typeof options.clientId !== 'string' || options.clientId === '') {
    fail('clientId is required.');
  }
  if ((options.issuer === undefined) === (options.tokenEndpoint === undefined)) {
    fail('Give exactly one of issuer (discovery) or tokenEndpoint.');
  }
  const retry = options.retry ?? {};
  const maxAttempts = retry.maxAttempts ?? 4;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    fail(`retry.maxAttempts must be an integer ≥ 1; got ${maxAttempts}.`);
  }
  const given = options.fetch ?? globalThis.fetch;
  if (typeof given !== 'function') fail('No fetch: pass options.fetch on this runtime.');
  // Called as a plain function: browsers refuse a fetch invoked as a method of another object.
  const fetchFn: M2mFetch = (input, init) => given(input, init);
  return {
    issuer: options.issuer === undefined ? undefined : absoluteUrl('issuer', options.issuer),
    tokenEndpoint:
      options.tokenEndpoint === undefined
        ? undefined
        : absoluteUrl('tokenEndpoint', options.tokenEndpoint),
    credentials: credentialsOf(options),
    scopes: [...(options.scopes ?? [])],
    resource: options.resource,
    expirySkewMs: nonNegative('expirySkewSeconds', options.expirySkewSeconds, 30) * 1000,
    refreshAheadMs: nonNegative('refreshAheadSeconds', options.refreshAheadSeconds, 60) * 1000,
    defaultExpiresInMs:
      nonNegative('defaultExpiresInSeconds', options.defaultExpiresInSeconds, 60) * 1000,
    timeoutMs: nonNegative('timeoutMs', options.timeoutMs, 10_000),
    retry: {
      maxAttempts,
      baseDelayMs: nonNegative('retry.baseDelayMs', retry.baseDelayMs, 200),
      maxDelayMs: nonNegative('retry.maxDelayMs', retry.maxDelayMs, 10_000),
    },
    fetch: fetchFn,
  };
}
