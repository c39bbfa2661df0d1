import { availableParallelism } from 'node:os';
import { JwksUriPolicy } from '../domain/jwks-uri-policy.js';
import { isScopeToken } from '../domain/scope.js';
import { M2mConfigurationError } from '../errors/m2m-configuration.error.js';
import type {
  M2mClientLifetimeOptions,
  M2mDynamicRegistrationOptions,
  M2mPrivateKeyJwtOptions,
  M2mRateLimitOptions,
  M2mSecretVerificationOptions,
} from './module-options.js';
import type { ResolvedM2mOptions, ResolvedRateLimit } from './resolved-options.js';

// Validation of the module options, one section each; resolveM2mOptions() puts them together.

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function fail(message: string): never {
  // The first option named in the message is the one at fault.
  const option = /`([A-Za-z][\w.]*)`/.exec(message)?.[1];
  throw new M2mConfigurationError(`M2mModule: ${message}`, option);
}

export function integerIn(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    fail(`${name} must be an integer from ${min} to ${max}; got ${String(value)}.`);
  }
  return value;
}

export function resolveIssuer(given: unknown, production: boolean): string {
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

export function resolveClientLifetime(
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

export function resolveMetadataClaims(keys: unknown): string[] {
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

export function resolveResources(resources: unknown): Map<string, string[]> {
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

export function resolveRegistration(
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

export function resolveScopes(scopes: unknown): string[] {
  if (scopes === undefined) return [];
  if (!Array.isArray(scopes) || !scopes.every((s) => typeof s === 'string' && isScopeToken(s))) {
    fail('`scopes` must be an array of scope tokens (printable ASCII without spaces or quotes).');
  }
  return [...new Set(scopes as string[])];
}

export function resolveRateLimit(
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

export function resolveSecretVerification(
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

export function resolvePrivateKeyJwt(
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
