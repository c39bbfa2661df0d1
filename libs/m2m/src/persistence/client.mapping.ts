import type {
  M2mClientMetadata,
  M2mClientStatus,
  StoredClient,
  StoredNextSecret,
} from '../domain/client.js';
import type { ClientChanges } from '../stores/client-store.js';
import type { ClientEntity } from './client.entity.js';

// Mapping between `m2m_clients` rows and domain clients, and the helpers of its queries.

/** A row of `m2m_clients` as the domain client. */
export function toStored(row: ClientEntity): StoredClient {
  const nextSecret: StoredNextSecret | null =
    row.nextSecretHash === null
      ? null
      : {
          hash: row.nextSecretHash,
          hint: row.nextSecretHint ?? '',
          createdAt: row.nextSecretCreatedAt ?? row.updatedAt,
          lastUsedAt: row.nextSecretLastUsedAt,
        };
  return {
    clientId: row.id,
    clientName: row.name,
    description: row.description,
    scopes: row.scopes === '' ? [] : row.scopes.split(' '),
    audiences: row.audiences === null || row.audiences === '' ? [] : row.audiences.split(' '),
    metadata: row.metadata === null ? null : (JSON.parse(row.metadata) as M2mClientMetadata),
    status: row.status as M2mClientStatus,
    ownerId: row.ownerId,
    authMethod: row.authMethod as StoredClient['authMethod'],
    jwks: row.jwks === null ? null : (JSON.parse(row.jwks) as StoredClient['jwks']),
    jwksUri: row.jwksUri,
    registrationTokenHash: row.registrationTokenHash,
    secretHash: row.secretHash,
    secretHint: row.secretHint,
    secretCreatedAt: row.secretCreatedAt ?? row.createdAt,
    secretLastUsedAt: row.secretLastUsedAt,
    secretExpiresAt: row.secretExpiresAt,
    nextSecret,
    tokenVersion: row.tokenVersion,
    expiresAt: row.expiresAt,
    lastUsedAt: row.lastUsedAt,
    tokenCount: row.tokenCount,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** The columns that change with `changes`. */
export function toColumns(changes: ClientChanges): Partial<ClientEntity> {
  const columns: Partial<ClientEntity> = {};
  if (changes.clientName !== undefined) columns.name = changes.clientName;
  if (changes.description !== undefined) columns.description = changes.description;
  if (changes.scopes !== undefined) columns.scopes = changes.scopes.join(' ');
  if (changes.audiences !== undefined) columns.audiences = changes.audiences.join(' ');
  if (changes.metadata !== undefined) {
    columns.metadata = changes.metadata === null ? null : JSON.stringify(changes.metadata);
  }
  if (changes.status !== undefined) columns.status = changes.status;
  if (changes.expiresAt !== undefined) columns.expiresAt = changes.expiresAt;
  if (changes.updatedAt !== undefined) columns.updatedAt = changes.updatedAt;
  if (changes.jwks !== undefined)
    columns.jwks = changes.jwks === null ? null : JSON.stringify(changes.jwks);
  if (changes.jwksUri !== undefined) columns.jwksUri = changes.jwksUri;
  return columns;
}

/**
 * The smallest string above every string that starts with `prefix`, in code point order: the
 * prefix with its last code point incremented (past the surrogates, dropping U+10FFFF); null when
 * there is none (a prefix of only U+10FFFF).
 */
export function nextPrefix(prefix: string): string | null {
  const points = [...prefix].map((character) => character.codePointAt(0)!);
  while (points.length > 0) {
    const last = points.pop()! + 1;
    if (last <= 0x10ffff) {
      points.push(last >= 0xd800 && last <= 0xdfff ? 0xe000 : last);
      return String.fromCodePoint(...points);
    }
  }
  return null;
}
