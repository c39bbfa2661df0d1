import type {
  M2mCreateClientInput,
  M2mListClientsQuery,
  M2mUpdateClientInput,
} from '../clients/client.model.js';
import type { ListClientsQueryDto } from './client-query.dto.js';
import type { CreateClientDto, UpdateClientDto } from './client-request.dto.js';

const DAY_MS = 24 * 3600 * 1000;

function toDate(value: string | null | undefined): Date | null | undefined {
  return value == null ? value : new Date(value);
}

/** Maps the body of a create request to the service input. */
export function createInput(body: CreateClientDto): M2mCreateClientInput {
  return {
    clientName: body.client_name,
    scopes: body.scopes,
    ...(body.description === undefined ? {} : { description: body.description }),
    ...(body.audiences === undefined ? {} : { audiences: body.audiences }),
    ...(body.metadata === undefined ? {} : { metadata: body.metadata }),
    ...(body.expires_at === undefined ? {} : { expiresAt: toDate(body.expires_at) ?? null }),
    ...(body.owner_id === undefined ? {} : { ownerId: body.owner_id }),
    ...(body.token_endpoint_auth_method === 'private_key_jwt'
      ? { authMethod: 'private_key_jwt' as const }
      : {}),
    ...(body.jwks === undefined ? {} : { jwks: body.jwks }),
    ...(body.jwks_uri === undefined ? {} : { jwksUri: body.jwks_uri }),
  };
}

/** Maps the body of a PATCH request to the service input: only the members present. */
export function updateInput(body: UpdateClientDto): M2mUpdateClientInput {
  const input: M2mUpdateClientInput = {};
  if (body.client_name !== undefined) input.clientName = body.client_name;
  if (body.description !== undefined) input.description = body.description;
  if (body.scopes !== undefined) input.scopes = body.scopes;
  if (body.audiences !== undefined) input.audiences = body.audiences;
  if (body.metadata !== undefined) input.metadata = body.metadata;
  if (body.status !== undefined) input.status = body.status;
  if (body.expires_at !== undefined) input.expiresAt = toDate(body.expires_at) ?? null;
  if (body.jwks !== undefined) input.jwks = body.jwks;
  if (body.jwks_uri !== undefined) input.jwksUri = body.jwks_uri;
  return input;
}

/** Maps list query parameters to the service query. */
export function listQuery(query: ListClientsQueryDto): M2mListClientsQuery {
  const withinDays =
    query.expires_within_days === undefined
      ? undefined
      : new Date(Date.now() + query.expires_within_days * DAY_MS);
  const explicit = toDate(query.expires_before) ?? undefined;
  // Both given: the earlier bound.
  const expiresBefore =
    explicit !== undefined && withinDays !== undefined
      ? new Date(Math.min(explicit.getTime(), withinDays.getTime()))
      : (explicit ?? withinDays);
  return {
    ...(query.limit === undefined ? {} : { limit: query.limit }),
    ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
    ...(query.status === undefined ? {} : { status: query.status }),
    ...(query.owner_id === undefined ? {} : { ownerId: query.owner_id }),
    ...(query.scope === undefined ? {} : { scope: query.scope }),
    ...(query.name_prefix === undefined ? {} : { namePrefix: query.name_prefix }),
    ...(expiresBefore === undefined ? {} : { expiresBefore }),
  };
}
