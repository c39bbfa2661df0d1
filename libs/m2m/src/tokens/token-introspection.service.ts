import { Injectable } from '@nestjs/common';
import type { JWTPayload } from 'jose';
import { InvalidRequestError, UnauthorizedClientError } from '../errors/oauth.error.js';
import { TokenVerifier } from '../verification/token-verifier.service.js';
import { M2M_INTROSPECT_SCOPE } from '../m2m.constants.js';
import type { StoredClient } from '../domain/client.js';
import type { PresentedToken } from '../revocation/token-revocation.service.js';
import type { ClientRequest, TokenParameter } from './token-request.js';
import { TokenService } from './token.service.js';

/** RFC 7662 §2.2 response: `{active: false}` and nothing else for any token that is not active. */
export type M2mIntrospection =
  | { active: false }
  | {
      active: true;
      scope?: string;
      client_id: string;
      token_type: 'Bearer';
      exp: number;
      iat: number;
      nbf?: number;
      sub: string;
      aud: string | string[];
      iss: string;
      jti: string;
      owner_id?: string;
    };

function requireToken(request: ClientRequest<TokenParameter>): string {
  const token = request.params.token;
  if (token === undefined) throw new InvalidRequestError('The token parameter is required.');
  return token;
}

/**
 * Token introspection (RFC 7662) for this server's access tokens, and the reading of a token a
 * client presents for revocation (RFC 7009). Both authenticate the calling client first, exactly
 * as the token endpoint does.
 */
@Injectable()
export class TokenIntrospectionService {
  constructor(
    private readonly tokens: TokenService,
    private readonly verifier: TokenVerifier,
  ) {}

  /**
   * The state of a token. Only clients with the `m2m:introspect` scope may ask. Unknown,
   * expired, revoked and foreign tokens are all `{active: false}`.
   */
  async introspect(request: ClientRequest<TokenParameter>): Promise<M2mIntrospection> {
    const { client } = await this.tokens.authenticate(request);
    if (!client.scopes.includes(M2M_INTROSPECT_SCOPE)) {
      throw new UnauthorizedClientError(
        'The client is not allowed to introspect tokens.',
        `client ${client.clientId} lacks ${M2M_INTROSPECT_SCOPE}`,
      );
    }
    const payload = await this.activePayload(requireToken(request), true);
    if (payload === null) return { active: false };
    const claims = payload as JWTPayload & { scope?: string; client_id: string; owner_id?: string };
    return {
      active: true,
      ...(claims.scope === undefined ? {} : { scope: claims.scope }),
      client_id: claims.client_id,
      token_type: 'Bearer',
      exp: claims.exp!,
      iat: claims.iat!,
      ...(claims.nbf === undefined ? {} : { nbf: claims.nbf }),
      sub: claims.sub!,
      aud: claims.aud!,
      iss: claims.iss!,
      jti: claims.jti!,
      ...(claims.owner_id === undefined ? {} : { owner_id: claims.owner_id }),
    };
  }

  /**
   * The authenticated caller of a revocation request (RFC 7009 §2.1) and the token it presented,
   * or null for a token that is invalid, expired, unknown or already revoked.
   */
  async presentedToken(
    request: ClientRequest<TokenParameter>,
  ): Promise<{ caller: StoredClient; token: PresentedToken | null }> {
    const { client } = await this.tokens.authenticate(request);
    const payload = await this.activePayload(requireToken(request), true);
    if (payload === null) return { caller: client, token: null };
    const clientId = payload['client_id'];
    return {
      caller: client,
      token: {
        jti: payload.jti!,
        clientId: typeof clientId === 'string' ? clientId : undefined,
        expiresAt: new Date(payload.exp! * 1000),
      },
    };
  }

  private async activePayload(token: string, anyAudience: boolean): Promise<JWTPayload | null> {
    try {
      return (await this.verifier.inspect(token, anyAudience)).payload;
    } catch {
      return null;
    }
  }
}
