import type { M2mClientMetadata } from '../domain/client.js';

/**
 * Finds a client's current metadata for the `principalMetadata` option, so that verification
 * needs no store of its own. The module provides it under {@link M2M_CLIENT_METADATA_LOOKUP}.
 */
export interface ClientMetadataLookup {
  /** The client's metadata; `null` when it has none or no longer exists. */
  metadataOf(clientId: string): Promise<M2mClientMetadata | null>;
}

/** Injection token of the {@link ClientMetadataLookup}. */
export const M2M_CLIENT_METADATA_LOOKUP = Symbol('M2M_CLIENT_METADATA_LOOKUP');
