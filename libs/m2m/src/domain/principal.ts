import type { M2mClientMetadata } from './client.js';

/** The authenticated calling client, as `@M2mClient()` injects it. */
export interface M2mPrincipal {
  clientId: string;
  /** Scopes the token carries. */
  scopes: string[];
  /** The token's `jti`. */
  tokenId: string;
  /** When the token expires. */
  expiresAt: Date;
  /** When the token was issued. */
  issuedAt: Date;
  /** The user, organisation or tenant that owns the client, or null: scope data by it. */
  ownerId: string | null;
  /**
   * The client's metadata: the allow-listed keys carried in the token (`metadataClaims`), or
   * all of it with the `principalMetadata` option; absent otherwise.
   */
  metadata?: M2mClientMetadata | null;
}
