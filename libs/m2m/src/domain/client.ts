/** Status of a client: only `active` clients can obtain tokens. */
export type M2mClientStatus = 'active' | 'disabled';

/** Metadata values are flat JSON scalars. */
export type M2mMetadataValue = string | number | boolean | null;

/** Free-form metadata attached to a client. */
export type M2mClientMetadata = Record<string, M2mMetadataValue>;

/** How a client authenticates: a secret (Basic or post), or signed assertions (RFC 7523). */
export type M2mClientAuthMethod = 'client_secret' | 'private_key_jwt';

/** A JSON Web Key Set of public keys (RFC 7517). */
export interface M2mPublicJwks {
  keys: Record<string, unknown>[];
}

/** The second secret of a rotation in progress. */
export interface StoredNextSecret {
  hash: string;
  /** Last four characters, for display. */
  hint: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/**
 * A client as the persistence layer hands it to the services: a plain object, not an entity.
 * It includes the secret hashes, so it stays inside the library.
 */
export interface StoredClient {
  clientId: string;
  clientName: string;
  description: string | null;
  scopes: string[];
  /** Resource servers (RFC 8707 resource URIs) the client may request tokens for. */
  audiences: string[];
  metadata: M2mClientMetadata | null;
  status: M2mClientStatus;
  /** The host's user, organisation or tenant that owns the client, or null. */
  ownerId: string | null;
  authMethod: M2mClientAuthMethod;
  /** private_key_jwt: the client's public keys, given as a JWKS or a URL. */
  jwks: M2mPublicJwks | null;
  jwksUri: string | null;
  /** SHA-256 of the registration access token, for dynamically registered clients. */
  registrationTokenHash: string | null;
  /** Empty for private_key_jwt clients, which have no secret. */
  secretHash: string;
  /** Last four characters of the secret, for display. */
  secretHint: string;
  secretCreatedAt: Date;
  secretLastUsedAt: Date | null;
  /** During a rotation: when the current secret stops authenticating on its own. */
  secretExpiresAt: Date | null;
  nextSecret: StoredNextSecret | null;
  /** Tokens carrying a lower version are revoked. */
  tokenVersion: number;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  tokenCount: number;
  createdAt: Date;
  updatedAt: Date;
}
