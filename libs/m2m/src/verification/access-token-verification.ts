import type { M2mPrincipal } from '../domain/principal.js';

/**
 * Verifies an access token into a principal; throws `AccessTokenError` when it is not valid. The
 * bearer strategy uses whichever verifier the module mode provides: `TokenVerifier` (this
 * server's keys) or `RemoteTokenVerifier` (a JWKS).
 */
export interface M2mAccessTokenVerification {
  verify(token: string): Promise<M2mPrincipal>;
}
