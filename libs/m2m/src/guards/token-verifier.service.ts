import { Inject, Injectable } from '@nestjs/common';
import { errors as joseErrors, jwtVerify, type JWTHeaderParameters, type JWTPayload } from 'jose';
import { BearerTokenError } from '../errors/bearer-token.error.js';
import { SigningKeysService } from '../keys/signing-keys.service.js';
import { M2M_RESOLVED_OPTIONS } from '../m2m.internal-constants.js';
import type { ResolvedM2mOptions } from '../m2m-options.js';
import { ClientStore } from '../persistence/client.store.js';
import { RevocationList } from '../revocation/revocation-list.service.js';
import {
  ACCESS_TOKEN_ALGORITHMS,
  readAccessTokenClaims,
} from '../verification/access-token-claims.js';
import type { AccessTokenError } from '../verification/access-token.error.js';
import type { M2mPrincipal } from './m2m-principal.js';

/**
 * Verifies access tokens issued by this server: signature with an allow-listed asymmetric
 * algorithm that must match the key's own, `typ` at+jwt (RFC 9068 §4), `iss`, `aud`, `exp` and
 * `nbf` with a small leeway.
 */
@Injectable()
export class TokenVerifier {
  private readonly getKey = async (header: JWTHeaderParameters) => {
    const key =
      header.kid === undefined
        ? undefined
        : await this.keys.verificationKey(header.kid, header.alg);
    if (key === undefined) throw BearerTokenError.invalid('unknown kid or alg/kid mismatch');
    return key;
  };

  constructor(
    private readonly keys: SigningKeysService,
    private readonly clients: ClientStore,
    private readonly revocations: RevocationList,
    @Inject(M2M_RESOLVED_OPTIONS) private readonly options: ResolvedM2mOptions,
  ) {}

  /** The principal of a valid token; `BearerTokenError` (invalid_token) otherwise. */
  async verify(token: string): Promise<M2mPrincipal> {
    return (await this.inspect(token)).principal;
  }

  /**
   * The verified claims and principal of a valid, unrevoked token (for introspection and
   * revocation); `BearerTokenError` (invalid_token) otherwise.
   */
  async inspect(
    token: string,
    /** Accept every audience this server issues for (introspection), not only its own. */
    anyAudience = false,
  ): Promise<{ payload: JWTPayload; principal: M2mPrincipal }> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.getKey, {
        algorithms: ACCESS_TOKEN_ALGORITHMS,
        typ: 'at+jwt',
        issuer: this.options.issuer,
        audience: anyAudience
          ? [this.options.audience, ...this.options.resources.keys()]
          : this.options.audience,
        clockTolerance: this.options.clockToleranceSeconds,
        requiredClaims: ['exp', 'iat', 'jti', 'sub'],
      }));
    } catch (error) {
      if (error instanceof BearerTokenError) throw error;
      const code = error instanceof joseErrors.JOSEError ? error.code : 'unexpected error';
      throw BearerTokenError.invalid(code);
    }
    let claims;
    try {
      claims = readAccessTokenClaims(payload);
    } catch (error) {
      throw BearerTokenError.invalid((error as AccessTokenError).detail);
    }
    const { principal, tokenVersion } = claims;
    // Disabled, deleted or rotated clients, and tokens revoked by jti: an in-memory lookup.
    if (this.revocations.isRevoked(principal.clientId, tokenVersion, principal.tokenId)) {
      throw BearerTokenError.invalid('revoked');
    }
    if (this.options.principalMetadata) {
      const client = await this.clients.findById(principal.clientId);
      principal.metadata = client?.metadata ?? null;
    }
    return { payload, principal };
  }
}
