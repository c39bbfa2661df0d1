import { Inject, Injectable } from '@nestjs/common';
import type { JWTPayload } from 'jose';
import { BoundedCache } from '../common/bounded-cache.js';
import type { M2mPrincipal } from '../domain/principal.js';
import { AccessTokenError } from '../errors/access-token.error.js';
import { SigningKeysService } from '../keys/signing-keys.service.js';
import { M2M_RESOLVED_OPTIONS } from '../m2m.internal-constants.js';
import type { ResolvedM2mOptions } from '../options/resolved-options.js';
import { M2mMetrics } from '../metrics/m2m-metrics.js';
import { RevocationList } from '../revocation/revocation-list.service.js';
import { verifyAccessTokenJws, type AccessTokenKeyResolver } from './access-token-jws.js';
import type { M2mAccessTokenVerification } from './access-token-verification.js';
import { M2M_CLIENT_METADATA_LOOKUP, type ClientMetadataLookup } from './client-metadata-lookup.js';

/** A token that passed every check, as the guard's cache keeps it. */
interface VerifiedToken {
  principal: M2mPrincipal;
  tokenVersion: number;
  kid: string;
  alg: string;
}

/**
 * Verifies access tokens issued by this server with its own signing keys: the checks of
 * {@link verifyAccessTokenJws}, with a key found by `kid` whose algorithm must be the token's,
 * then revocation. Refusals are `AccessTokenError`s; the guard answers them.
 *
 * Tokens that passed are cached (`tokenCache`), keyed by the whole token, until they expire, so
 * that a token presented again costs a map lookup instead of a signature check. What can change
 * during a token's life is checked on every request, cached or not: revocation (the in-memory
 * list) and the signing key (a retired key past its expiry, or a key no longer loaded, is not
 * accepted).
 */
@Injectable()
export class TokenVerifier implements M2mAccessTokenVerification {
  private readonly cache: BoundedCache<string, VerifiedToken>;

  private readonly getKey: AccessTokenKeyResolver = async (header) => {
    const key =
      header.kid === undefined
        ? undefined
        : await this.keys.verificationKey(header.kid, header.alg);
    if (key === undefined) {
      throw new AccessTokenError('invalid_token', 'unknown kid or alg/kid mismatch');
    }
    return key;
  };

  constructor(
    private readonly keys: SigningKeysService,
    @Inject(M2M_CLIENT_METADATA_LOOKUP) private readonly clients: ClientMetadataLookup,
    private readonly revocations: RevocationList,
    private readonly metrics: M2mMetrics,
    @Inject(M2M_RESOLVED_OPTIONS) private readonly options: ResolvedM2mOptions,
  ) {
    this.cache = new BoundedCache(options.tokenCache === false ? 0 : options.tokenCache.maxEntries);
  }

  /** The principal of a valid token; `AccessTokenError` (invalid_token) otherwise. */
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
      principal.metadata = await this.clients.metadataOf(principal.clientId);
    }
    return principal;
  }

  /**
   * The verified claims and principal of a valid, unrevoked token (for introspection and
   * revocation); `AccessTokenError` (invalid_token) otherwise. Never cached.
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
    const { payload, header, principal, tokenVersion } = await verifyAccessTokenJws(
      token,
      this.getKey,
      {
        issuer: this.options.issuer,
        audience: anyAudience
          ? [this.options.audience, ...this.options.resources.keys()]
          : this.options.audience,
        clockToleranceSeconds: this.options.clockToleranceSeconds,
      },
    );
    const verified: VerifiedToken = { principal, tokenVersion, kid: header.kid!, alg: header.alg };
    this.rejectRevoked(verified, Date.now());
    return { payload, verified };
  }

  /** Disabled, deleted or rotated clients, and tokens revoked by jti: an in-memory lookup. */
  private rejectRevoked({ principal, tokenVersion }: VerifiedToken, now: number): void {
    if (this.revocations.isRevoked(principal.clientId, tokenVersion, principal.tokenId, now)) {
      throw new AccessTokenError('invalid_token', 'revoked');
    }
  }
}
