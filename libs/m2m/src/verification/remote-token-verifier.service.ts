import type { M2mPrincipal } from '../domain/principal.js';
import type { M2mAccessTokenVerification } from './access-token-verification.js';
import { createAccessTokenVerifier, type M2mAccessTokenVerifier } from './verify-access-token.js';
import { type M2mAccessTokenVerifierOptions } from '../options/resource-server-options.js';

/**
 * Verifies tokens with the issuer's JWKS (cached, refetched on an unknown `kid`): no database.
 * Resource-server mode's verifier; refusals are `AccessTokenError`s, answered by the guard.
 */
export class RemoteTokenVerifier implements M2mAccessTokenVerification {
  private readonly verifyToken: M2mAccessTokenVerifier;

  constructor(options: M2mAccessTokenVerifierOptions) {
    this.verifyToken = createAccessTokenVerifier(options);
  }

  verify(token: string): Promise<M2mPrincipal> {
    return this.verifyToken(token);
  }
}
