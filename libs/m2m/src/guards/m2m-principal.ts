import type { M2mClientMetadata } from '../persistence/stored-client.js';

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
  /** The client's metadata; present only with the `principalMetadata` option. */
  metadata?: M2mClientMetadata | null;
}
