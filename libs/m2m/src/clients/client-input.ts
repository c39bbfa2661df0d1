import type { M2mCallContext } from '../domain/call-context.js';
import type { M2mClientAuthMethod, StoredClient } from '../domain/client.js';
import { checkFilter, FieldErrors } from '../errors/field-errors.js';
import type { ResolvedM2mOptions } from '../options/resolved-options.js';
import type { ClientChanges } from '../stores/client-store.js';
import type { ClientListPosition } from '../stores/client-store.js';
import { decodeClientCursor } from './client-cursor.js';
import type {
  M2mCreateClientInput,
  M2mListClientsQuery,
  M2mUpdateClientInput,
} from './client.model.js';
import {
  asMetadata,
  checkAudiences,
  checkClientKeys,
  checkDescription,
  checkExpiry,
  checkMetadata,
  checkName,
  checkOwnerId,
  checkScopes,
} from './client-validation.js';
import type { JwksUriPolicy } from '../domain/jwks-uri-policy.js';

// The checks of what callers of the client registry send: every field error is collected, then
// one ClientValidationError lists them all.

const STATUSES = new Set(['active', 'disabled']);

/** What a new client is checked against besides its input. */
export interface NewClientContext {
  expiresAt: Date | null;
  ownerId: string | null;
  now: Date;
  options: ResolvedM2mOptions;
  context: M2mCallContext;
  jwksUriPolicy: JwksUriPolicy;
}

/** Checks a new client; returns its authentication method. */
export function checkNewClient(
  input: M2mCreateClientInput,
  { expiresAt, ownerId, now, options, context, jwksUriPolicy }: NewClientContext,
): M2mClientAuthMethod {
  const errors = new FieldErrors();
  checkName(errors, input.clientName);
  checkDescription(errors, input.description);
  checkScopes(errors, input.scopes, context.allowedScopes);
  checkAudiences(errors, input.audiences, options.resources, context.allowedAudiences);
  checkMetadata(errors, input.metadata);
  checkExpiry(errors, expiresAt, now, options.clientLifetime);
  checkOwnerId(errors, ownerId);
  const authMethod = input.authMethod ?? 'client_secret';
  if (authMethod !== 'client_secret' && authMethod !== 'private_key_jwt') {
    errors.add(
      'token_endpoint_auth_method',
      'must be client_secret_basic, client_secret_post or private_key_jwt',
    );
  }
  checkClientKeys(errors, authMethod, input.jwks, input.jwksUri, jwksUriPolicy);
  errors.throwIfAny();
  return authMethod;
}

/** Checks a list query; returns the page size and the position after which it starts. */
export function checkListQuery(query: M2mListClientsQuery): {
  limit: number;
  after: ClientListPosition | null;
} {
  const errors = new FieldErrors();
  const limit = query.limit ?? 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    errors.add('limit', 'must be an integer from 1 to 100');
  }
  const after = query.cursor === undefined ? null : decodeClientCursor(query.cursor);
  if (query.cursor !== undefined && after === null) {
    errors.add('cursor', 'is not a cursor returned by this API');
  }
  if (query.status !== undefined && !STATUSES.has(query.status)) {
    errors.add('status', 'must be "active" or "disabled"');
  }
  if (query.expiresBefore !== undefined && Number.isNaN(query.expiresBefore.getTime())) {
    errors.add('expires_before', 'must be an RFC 3339 date-time');
  }
  checkFilter(errors, 'owner_id', query.ownerId);
  checkFilter(errors, 'scope', query.scope);
  checkFilter(errors, 'name_prefix', query.namePrefix);
  errors.throwIfAny();
  return { limit, after };
}

/** Checks an update and turns it into the store's changes (keys excepted). */
export function clientChanges(
  input: M2mUpdateClientInput,
  now: Date,
  options: ResolvedM2mOptions,
  context: M2mCallContext,
): ClientChanges {
  const errors = new FieldErrors();
  const changes: ClientChanges = { updatedAt: now };
  if (input.clientName !== undefined) {
    checkName(errors, input.clientName);
    changes.clientName = typeof input.clientName === 'string' ? input.clientName.trim() : '';
  }
  if (input.description !== undefined) {
    checkDescription(errors, input.description);
    changes.description = input.description;
  }
  if (input.scopes !== undefined) {
    checkScopes(errors, input.scopes, context.allowedScopes);
    changes.scopes = input.scopes;
  }
  if (input.audiences !== undefined) {
    checkAudiences(errors, input.audiences, options.resources, context.allowedAudiences);
    changes.audiences = input.audiences;
  }
  if (input.metadata !== undefined) {
    checkMetadata(errors, input.metadata);
    changes.metadata = asMetadata(input.metadata);
  }
  if (input.status !== undefined) {
    if (!STATUSES.has(input.status)) errors.add('status', 'must be "active" or "disabled"');
    changes.status = input.status;
  }
  if (input.expiresAt !== undefined) {
    checkExpiry(errors, input.expiresAt, now, options.clientLifetime);
    changes.expiresAt = input.expiresAt;
  }
  errors.throwIfAny();
  return changes;
}

/**
 * Checks new keys of a private_key_jwt client: a JWKS replaces a JWKS URI and the other way
 * round, as RFC 7591 allows only one of them.
 */
export function checkKeyChange(
  input: M2mUpdateClientInput,
  before: StoredClient,
  jwksUriPolicy: JwksUriPolicy,
): Pick<StoredClient, 'jwks' | 'jwksUri'> {
  const errors = new FieldErrors();
  const jwks = input.jwks !== undefined ? input.jwks : input.jwksUri != null ? null : before.jwks;
  const jwksUri =
    input.jwksUri !== undefined ? input.jwksUri : input.jwks != null ? null : before.jwksUri;
  checkClientKeys(errors, before.authMethod, jwks, jwksUri, jwksUriPolicy);
  errors.throwIfAny();
  return { jwks, jwksUri };
}
