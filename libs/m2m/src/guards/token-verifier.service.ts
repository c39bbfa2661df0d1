import { Inject, Injectable } from '@nestjs/common';
import { errors as joseErrors, jwtVerify, type JWTHeaderParameters, type JWTPayload } from 'jose';
import { BoundedCache } from '../common/bounded-cache.js';
import { BearerTokenError } from '../errors/bearer-token.error.js';
import { SigningKeysService } from '../keys/signing-keys.service.js';
import { M2M_RESOLVED_OPTIONS } from '../m2m.internal-constants.js';
import type { ResolvedM2mOptions } from '../m2m-options.js';
import { M2mMetrics } from '../metrics/m2m-metrics.js';
import { ClientStore } from '../persistence/client.store.js';
import { RevocationList } from '../revocation/revocation-list.service.js';
import {
  ACCESS_TOKEN_ALGORITHMS,
  readAccessTokenClaims,
} from '../verification/access-token-claims.js';
import type { AccessTokenError } from '../verification/access-token.error.js';
import type { M2mPrincipal } from '../domain/principal.js';

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** A token that passed every check, as the guard's cache keeps it. */
interface VerifiedToken {
  principal: M2mPrincipal;
  tokenVersion: number;
  kid: string;
  alg: string;
}

/**
 * Verifies access tokens issued by this server: signature with an allow-listed asymmetric
 * algorithm that must match the key's own, `typ` at+jwt (RFC 9068 §4), `iss`, `aud`, `exp` and
 * `nbf` with a small leeway.
 *
 * Tokens that passed are cached (`tokenCache`), keyed by the whole token, until they expire, so
 * that a token presented again costs a map lookup instead of a signature check. What can change
 * during a token's life is checked on every request, cached or not: revocation (the in-memory
 * list) and the signing key (a retired key past its expiry, or a key no longer loaded, is not
 * accepted).
 */
@Injectable()
export class TokenVerifier {
  private readonly cache: BoundedCache<string, VerifiedToken>;

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
    private readonly metrics: M2mMetrics,
    @Inject(M2M_RESOLVED_OPTIONS) private readonly options: ResolvedM2mOptions,
  ) {
    this.cache = new BoundedCache(options.tokenCache === false ? 0 : options.tokenCache.maxEntries);
  }

  /** The principal of a valid token; `BearerTokenError` (invalid_token) otherwise. */
  async verify(token: string): Promise<M2mPrincipal> {
    const now = Date.now();
    let verified = this.cache.get(token, now);
    if (verified !== undefined && !this.keys.isUsable(verified.kid, verified.alg, now)) {
      this.cache.delete(token);
      verified = undefined;
    }
    this.metrics.tokenCache(verified !== undefined);
    if (verified === undefined) {
      const { payload, verified: fresh } = await this.check(token, false);
      verified = fresh;
      // Valid until `exp` plus the leeway, exactly as long as a signature check would pass.
      const validUntil = (payload.exp! + this.options.clockToleranceSeconds) * 1000;
      this.cache.set(token, fresh, validUntil, now);
    } else {
      this.rejectRevoked(verified, now);
    }
    const principal: M2mPrincipal = {
      ...verified.principal,
      scopes: [...verified.principal.scopes],
    };
    if (this.options.principalMetadata) {
      const client = await this.clients.findById(principal.clientId);
      principal.metadata = client?.metadata ?? null;
    }
    return principal;
  }

  /**
   * The verified claims and principal of a valid, unrevoked token (for introspection and
   * revocation); `BearerTokenError` (invalid_token) otherwise. Never cached.
   */
  async inspect(
    token: string,
    /** Accept every audience this server issues for (introspection), not only its own. */
    anyAudience = false,
  ): Promise<{ payload: JWTPayload; principal: M2mPrincipal }> {
    const { payload, verified } = await this.check(token, anyAudience);
    return { payload, principal: verified.principal };
  }

  private async check(
    token: string,
    anyAudience: boolean,
  ): Promise<{ payload: JWTPayload; verified: VerifiedToken }> {
    // RFC 7515 §7.1: three base64url parts without padding. Decoders forgive `=` padding, which
    // would make `token==` verify as `token`: a different string is a different token.
    if (!COMPACT_JWS.test(token)) throw BearerTokenError.invalid('not a compact JWS');
    let result;
    try {
      result = await jwtVerify(token, this.getKey, {
        algorithms: ACCESS_TOKEN_ALGORITHMS,
        typ: 'at+jwt',
        issuer: this.options.issuer,
        audience: anyAudience
          ? [this.options.audience, ...this.options.resources.keys()]
          : this.options.audience,
        clockTolerance: this.options.clockToleranceSeconds,
        requiredClaims: ['exp', 'iat', 'jti', 'sub'],
      });
    } catch (error) {
      if (error instanceof BearerTokenError) throw error;
      const code = error instanceof joseErrors.JOSEError ? error.code : 'unexpected error';
      throw BearerTokenError.invalid(code);
    }
    let claims;
    try {
      claims = readAccessTokenClaims(result.payload);
    } catch (error) {
      throw BearerTokenError.invalid((error as AccessTokenError).detail);
    }
    const verified: VerifiedToken = {
      ...claims,
      kid: result.protectedHeader.kid!,
      alg: result.protectedHeader.alg,
    };
    this.rejectRevoked(verified, Date.now());
    return { payload: result.payload, verified };
  }

  /** Disabled, deleted or rotated clients, and tokens revoked by jti: an in-memory lookup. */
  private rejectRevoked({ principal, tokenVersion }: VerifiedToken, now: number): void {
    if (this.revocations.isRevoked(principal.clientId, tokenVersion, principal.tokenId, now)) {
      throw BearerTokenError.invalid('revoked');
    }
  }
}
