import { hasControlCharacters } from '../common/text.js';
import { FieldErrors } from '../errors/field-errors.js';
import type { ResolvedM2mOptions } from '../options/resolved-options.js';
import type { M2mClientMetadata } from '../domain/client.js';
import type { JwksUriPolicy } from '../domain/jwks-uri-policy.js';
import { isScopeToken, MAX_SCOPE_LENGTH } from '../domain/scope.js';

/** Limits of the client registry, enforced for every caller (admin API, CLI, host code). */
export const CLIENT_LIMITS = {
  nameMaxLength: 200,
  descriptionMaxLength: 1000,
  maxScopes: 100,
  metadataMaxKeys: 50,
  metadataKeyMaxLength: 40,
  metadataMaxBytes: 4096,
} as const;

const METADATA_KEY = /^[A-Za-z0-9_.:-]+$/;
/** Keys that would reach an object's prototype where metadata is copied into plain objects. */
const RESERVED_METADATA_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Length in Unicode code points, as JSON Schema's `maxLength` (and so the OpenAPI document) counts. */
function codePoints(value: string): number {
  return [...value].length;
}

/**
 * Names are shown in lists, terminals and the console: control characters (NUL, ESC, CR, …) are
 * refused, so that a name can neither rewrite an operator's terminal nor break a database.
 */
export function checkName(errors: FieldErrors, name: unknown): void {
  if (typeof name !== 'string' || name.trim().length === 0) {
    errors.add('client_name', 'must be a non-empty string');
  } else if (codePoints(name) > CLIENT_LIMITS.nameMaxLength) {
    errors.add('client_name', `must be at most ${CLIENT_LIMITS.nameMaxLength} characters`);
  } else if (hasControlCharacters(name)) {
    errors.add('client_name', 'must not contain control characters');
  }
}

export function checkDescription(errors: FieldErrors, description: unknown): void {
  if (description === null || description === undefined) return;
  if (typeof description !== 'string') {
    errors.add('description', 'must be a string or null');
  } else if (codePoints(description) > CLIENT_LIMITS.descriptionMaxLength) {
    errors.add('description', `must be at most ${CLIENT_LIMITS.descriptionMaxLength} characters`);
  } else if (hasControlCharacters(description, true)) {
    errors.add('description', 'must not contain control characters other than tab and line feed');
  }
}

export function checkScopes(
  errors: FieldErrors,
  scopes: unknown,
  allowed?: readonly string[],
): void {
  if (!Array.isArray(scopes)) {
    errors.add('scopes', 'must be an array of scope strings');
    return;
  }
  if (scopes.length > CLIENT_LIMITS.maxScopes) {
    errors.add('scopes', `must have at most ${CLIENT_LIMITS.maxScopes} items`);
    return;
  }
  const seen = new Set<string>();
  scopes.forEach((scope: unknown, index) => {
    if (typeof scope !== 'string' || !isScopeToken(scope)) {
      errors.add(
        `scopes/${index}`,
        `must be a scope token: 1 to ${MAX_SCOPE_LENGTH} printable ASCII characters without spaces, quotes or backslashes`,
      );
    } else if (seen.has(scope)) {
      errors.add(`scopes/${index}`, `duplicates "${scope}"`);
    } else if (allowed !== undefined && !allowed.includes(scope)) {
      errors.add(`scopes/${index}`, `"${scope}" is not a scope you may grant`);
    } else {
      seen.add(scope);
    }
  });
}

export function checkMetadata(errors: FieldErrors, metadata: unknown): void {
  if (metadata === null || metadata === undefined) return;
  if (typeof metadata !== 'object' || Array.isArray(metadata)) {
    errors.add('metadata', 'must be an object or null');
    return;
  }
  const entries = Object.entries(metadata as Record<string, unknown>);
  if (entries.length > CLIENT_LIMITS.metadataMaxKeys) {
    errors.add('metadata', `must have at most ${CLIENT_LIMITS.metadataMaxKeys} keys`);
    return;
  }
  for (const [key, value] of entries) {
    if (RESERVED_METADATA_KEYS.has(key)) {
      errors.add(`metadata/${key}`, 'is a reserved key');
    } else if (key.length > CLIENT_LIMITS.metadataKeyMaxLength || !METADATA_KEY.test(key)) {
      errors.add(
        'metadata',
        `key "${key.slice(0, 50)}" must be 1 to ${CLIENT_LIMITS.metadataKeyMaxLength} characters of A-Z a-z 0-9 _ . : -`,
      );
    } else if (
      value !== null &&
      typeof value !== 'string' &&
      typeof value !== 'boolean' &&
      !(typeof value === 'number' && Number.isFinite(value))
    ) {
      errors.add(`metadata/${key}`, 'must be a string, a finite number, a boolean or null');
    }
  }
  const bytes = Buffer.byteLength(JSON.stringify(metadata));
  if (bytes > CLIENT_LIMITS.metadataMaxBytes) {
    errors.add(
      'metadata',
      `must be at most ${CLIENT_LIMITS.metadataMaxBytes} bytes as JSON; it is ${bytes}`,
    );
  }
}

export function checkAudiences(
  errors: FieldErrors,
  audiences: unknown,
  resources: ReadonlyMap<string, readonly string[]>,
  allowed?: readonly string[],
): void {
  if (audiences === undefined) return;
  if (!Array.isArray(audiences) || audiences.length > 20) {
    errors.add('audiences', 'must be an array of at most 20 resource URIs');
    return;
  }
  const seen = new Set<string>();
  audiences.forEach((audience: unknown, index) => {
    if (typeof audience !== 'string' || !resources.has(audience)) {
      errors.add(
        `audiences/${index}`,
        'must be one of the resources this server is configured with',
      );
    } else if (allowed !== undefined && !allowed.includes(audience)) {
      errors.add(`audiences/${index}`, 'is not an audience you may grant');
    } else if (seen.has(audience)) {
      errors.add(`audiences/${index}`, `duplicates "${audience}"`);
    } else {
      seen.add(audience);
    }
  });
}

const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];
const JWK_TYPES = ['EC', 'OKP', 'RSA'];

/** private_key_jwt keys: a JWKS of 1 to 10 public, asymmetric signing keys, or an https URL. */
export function checkClientKeys(
  errors: FieldErrors,
  method: string,
  jwks: unknown,
  jwksUri: unknown,
  policy: JwksUriPolicy,
): void {
  if (method !== 'private_key_jwt') {
    if (jwks != null || jwksUri != null) {
      errors.add(
        jwks != null ? 'jwks' : 'jwks_uri',
        'is only for token_endpoint_auth_method private_key_jwt',
      );
    }
    return;
  }
  if ((jwks == null) === (jwksUri == null)) {
    errors.add('jwks', 'give exactly one of jwks and jwks_uri for private_key_jwt');
    return;
  }
  if (jwksUri != null) {
    const refusal =
      typeof jwksUri === 'string' && jwksUri.length <= 2000
        ? policy.refusal(jwksUri)
        : 'must be a URL of at most 2000 characters';
    if (refusal !== null) errors.add('jwks_uri', refusal);
    return;
  }
  const keys = (jwks as { keys?: unknown } | null)?.keys;
  if (typeof jwks !== 'object' || !Array.isArray(keys) || keys.length < 1 || keys.length > 10) {
    errors.add('jwks', 'must be a JWKS: {"keys": [...]} with 1 to 10 keys');
    return;
  }
  keys.forEach((key: unknown, index) => {
    const jwk = key as Record<string, unknown> | null;
    if (typeof jwk !== 'object' || jwk === null || !JWK_TYPES.includes(String(jwk['kty']))) {
      errors.add(`jwks/keys/${index}`, 'must be an EC, OKP or RSA public key');
    } else if (PRIVATE_JWK_MEMBERS.some((member) => member in jwk)) {
      errors.add(`jwks/keys/${index}`, 'must be a public key: it contains private key material');
    } else if (jwk['use'] !== undefined && jwk['use'] !== 'sig') {
      errors.add(`jwks/keys/${index}`, 'must be a signing key (use "sig")');
    }
  });
  if (Buffer.byteLength(JSON.stringify(jwks)) > 32_768)
    errors.add('jwks', 'must be at most 32768 bytes');
}

export function checkOwnerId(errors: FieldErrors, ownerId: unknown): void {
  if (ownerId === null || ownerId === undefined) return;
  if (!isOwnerId(ownerId)) {
    errors.add(
      'owner_id',
      'must be a string of 1 to 200 characters without control characters, or null',
    );
  }
}

/** An owner id: 1 to 200 characters, none of them a control character. */
export function isOwnerId(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length >= 1 &&
    value.length <= 200 &&
    !hasControlCharacters(value)
  );
}

/** Checks a requested expiry against the configured lifetimes. */
export function checkExpiry(
  errors: FieldErrors,
  expiresAt: Date | null,
  now: Date,
  lifetime: ResolvedM2mOptions['clientLifetime'],
): void {
  if (expiresAt === null) {
    if (lifetime.maxSeconds !== null) {
      errors.add(
        'expires_at',
        `is required: clients must expire within ${lifetime.maxSeconds} seconds`,
      );
    }
    return;
  }
  if (Number.isNaN(expiresAt.getTime())) {
    errors.add('expires_at', 'must be an RFC 3339 date-time');
    return;
  }
  const seconds = (expiresAt.getTime() - now.getTime()) / 1000;
  if (seconds < lifetime.minSeconds) {
    errors.add('expires_at', `must be at least ${lifetime.minSeconds} seconds in the future`);
  } else if (lifetime.maxSeconds !== null && seconds > lifetime.maxSeconds) {
    errors.add('expires_at', `must be at most ${lifetime.maxSeconds} seconds in the future`);
  }
}

/** Narrowing helper for metadata that passed {@link checkMetadata}. */
export function asMetadata(value: unknown): M2mClientMetadata | null {
  return (value ?? null) as M2mClientMetadata | null;
}
