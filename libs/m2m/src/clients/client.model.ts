import type {
  M2mClientAuthMethod,
  M2mClientMetadata,
  M2mClientStatus,
  M2mPublicJwks,
  StoredClient,
} from '../domain/client.js';

export type {
  M2mClientAuthMethod,
  M2mPublicJwks,
  M2mClientMetadata,
  M2mClientStatus,
  M2mMetadataValue,
} from '../domain/client.js';

/** The second secret of a rotation in progress, as the services show it (no hash). */
export interface M2mNextSecretView {
  hint: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** A client as the services return it: every stored field but the secret hashes. */
export type M2mClientView = Omit<
  StoredClient,
  'secretHash' | 'nextSecret' | 'tokenVersion' | 'registrationTokenHash'
> & {
  nextSecret: M2mNextSecretView | null;
};

/** The result of creating a client: the only time the secret is ever returned. */
export interface M2mCreatedClient extends M2mClientView {
  /** Null for private_key_jwt clients, which authenticate with their keys. */
  clientSecret: string | null;
}

/** The result of starting a rotation: the only time the next secret is returned. */
export interface M2mRotationStarted extends M2mClientView {
  nextClientSecret: string;
}

/** Input of `ClientsService.create`. */
export interface M2mCreateClientInput {
  clientName: string;
  description?: string | null;
  scopes: string[];
  /** Resources (RFC 8707) the client may request tokens for; keys of the `resources` option. */
  audiences?: string[];
  metadata?: M2mClientMetadata | null;
  /** `undefined` takes the configured default lifetime; `null` asks for no expiry. */
  expiresAt?: Date | null;
  /** The owning user, organisation or tenant (ignored under an owner-scoped context). */
  ownerId?: string | null;
  /** A secret (the default), or signed assertions with the client's keys (RFC 7523). */
  authMethod?: M2mClientAuthMethod;
  /** private_key_jwt: the client's public keys… */
  jwks?: M2mPublicJwks | null;
  /** …or where to fetch them. */
  jwksUri?: string | null;
  /** Dynamic registration: SHA-256 (hex) of the registration access token. */
  registrationTokenHash?: string | null;
}

/** Input of `ClientsService.update`: only the fields present change. */
export interface M2mUpdateClientInput {
  clientName?: string;
  description?: string | null;
  scopes?: string[];
  audiences?: string[];
  metadata?: M2mClientMetadata | null;
  status?: M2mClientStatus;
  expiresAt?: Date | null;
  /** private_key_jwt clients only: new keys, or a new key URL. */
  jwks?: M2mPublicJwks | null;
  jwksUri?: string | null;
}

/** Query of `ClientsService.list`. */
export interface M2mListClientsQuery {
  /** Page size, 1 to 100. @default 20 */
  limit?: number;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string;
  status?: M2mClientStatus;
  ownerId?: string;
  /** Clients allowed this scope. */
  scope?: string;
  /** Clients whose name starts with this. */
  namePrefix?: string;
  /** Clients that expire at or before this instant (e.g. now + 30 days). */
  expiresBefore?: Date;
}

/** One page of clients. */
export interface M2mClientPage {
  data: M2mClientView[];
  /** Cursor of the next page, or null on the last page. */
  nextCursor: string | null;
}
