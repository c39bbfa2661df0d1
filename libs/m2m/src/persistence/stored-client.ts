/** Status of a client: only `active` clients can obtain tokens. */
export type M2mClientStatus = 'active' | 'disabled';

/** Metadata values are flat JSON scalars. */
export type M2mMetadataValue = string | number | boolean | null;

/** Free-form metadata attached to a client. */
export type M2mClientMetadata = Record<string, M2mMetadataValue>;

/**
 * A client as the persistence layer hands it to the services: a plain object, not an entity.
 * It includes the secret hash, so it stays inside the library.
 */
export interface StoredClient {
  clientId: string;
  clientName: string;
  description: string | null;
  scopes: string[];
  metadata: M2mClientMetadata | null;
  status: M2mClientStatus;
  secretHash: string;
  /** Last four characters of the secret, for display. */
  secretHint: string;
  expiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Position after which a list page starts (keyset pagination on `created_at`, `client_id`). */
export interface ClientListPosition {
  createdAt: Date;
  clientId: string;
}
