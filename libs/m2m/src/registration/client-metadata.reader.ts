import type { M2mPublicJwks } from '../domain/client.js';
import { splitScopeParameter } from '../domain/scope.js';
import { InvalidClientMetadataError } from '../errors/oauth.error.js';
import type { M2mRegistrationMetadata } from './client-registration.service.js';

/** RFC 7591 §2 client metadata this server understands; other members are ignored. */
interface ClientMetadataBody {
  client_name?: unknown;
  scope?: unknown;
  token_endpoint_auth_method?: unknown;
  grant_types?: unknown;
  response_types?: unknown;
  jwks?: unknown;
  jwks_uri?: unknown;
  client_id?: unknown;
}

/**
 * Reads the client metadata of a registration request (RFC 7591 §2). Anything this server cannot
 * register is `invalid_client_metadata` (§3.2.2); the registry checks the values themselves.
 */
export function readClientMetadata(body: unknown): M2mRegistrationMetadata {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidClientMetadataError(
      'The request body must be a JSON object of client metadata.',
    );
  }
  const m = body as ClientMetadataBody;
  const method = m.token_endpoint_auth_method ?? 'client_secret_basic';
  if (
    method !== 'client_secret_basic' &&
    method !== 'client_secret_post' &&
    method !== 'private_key_jwt'
  ) {
    throw new InvalidClientMetadataError(
      'token_endpoint_auth_method must be client_secret_basic, client_secret_post or private_key_jwt.',
    );
  }
  if (
    m.grant_types !== undefined &&
    !(
      Array.isArray(m.grant_types) &&
      m.grant_types.length === 1 &&
      m.grant_types[0] === 'client_credentials'
    )
  ) {
    throw new InvalidClientMetadataError(
      'Only the client_credentials grant type can be registered.',
    );
  }
  if (
    m.response_types !== undefined &&
    !(Array.isArray(m.response_types) && m.response_types.length === 0)
  ) {
    throw new InvalidClientMetadataError(
      'No response types can be registered: this server has no authorization endpoint.',
    );
  }
  if (m.scope !== undefined && typeof m.scope !== 'string') {
    throw new InvalidClientMetadataError('scope must be a space-delimited string.');
  }
  if (m.client_name !== undefined && typeof m.client_name !== 'string') {
    throw new InvalidClientMetadataError('client_name must be a string.');
  }
  return {
    clientName: (m.client_name as string | undefined) ?? 'Dynamically registered client',
    scopes: splitScopeParameter((m.scope as string | undefined) ?? ''),
    ...(method === 'private_key_jwt' ? { authMethod: 'private_key_jwt' as const } : {}),
    ...(m.jwks === undefined ? {} : { jwks: m.jwks as M2mPublicJwks }),
    ...(m.jwks_uri === undefined ? {} : { jwksUri: m.jwks_uri as string }),
  };
}

/**
 * Reads the client metadata of an update (RFC 7592 §2.2), which replaces the registration's as a
 * whole; a `client_id` in the body must be the registration's.
 */
export function readClientMetadataUpdate(body: unknown, clientId: string): M2mRegistrationMetadata {
  const given = (body ?? {}) as ClientMetadataBody;
  if (given.client_id !== undefined && given.client_id !== clientId) {
    throw new InvalidClientMetadataError('The client_id does not match the registration.');
  }
  return readClientMetadata(body);
}
