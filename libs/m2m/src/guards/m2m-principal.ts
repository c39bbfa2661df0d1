import type { M2mPrincipal } from '../domain/principal.js';

/** What the guard and its error filter need, in both module modes. */
export interface M2mGuardOptions {
  /** `realm` of the `WWW-Authenticate` challenges. */
  realm: string;
}

/** Verifies an access token into a principal; `BearerTokenError` when it is not valid. */
export interface M2mAccessTokenVerification {
  verify(token: string): Promise<M2mPrincipal>;
}
