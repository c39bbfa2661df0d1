import { Inject, Injectable, Logger } from '@nestjs/common';
import { SignJWT } from 'jose';
import { randomBytes } from 'node:crypto';
import { isScopeToken, splitScopeParameter } from '../clients/scope.js';
import {
  InvalidRequestError,
  InvalidScopeError,
  UnsupportedGrantTypeError,
} from '../errors/oauth.error.js';
import { SigningKeysService } from '../keys/signing-keys.service.js';
import { M2M_RESOLVED_OPTIONS } from '../m2m.internal-constants.js';
import type { ResolvedM2mOptions } from '../m2m-options.js';
import { ClientAuthenticator } from './client-authenticator.service.js';
import type { TokenRequest } from './token-request.js';

/** The RFC 6749 §5.1 success response. There is never a refresh token. */
export interface M2mTokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope?: string;
}

/** The subject of a token to issue. */
export interface M2mTokenSubject {
  clientId: string;
  scopes: readonly string[];
  /** The token never outlives the client's credentials. */
  expiresAt: Date | null;
}

/** RFC 6749 §4.4.2: the only grant this server supports. */
function checkGrantType(grantType: string | undefined): void {
  if (grantType === undefined) {
    throw new InvalidRequestError('The grant_type parameter is required.');
  }
  if (grantType !== 'client_credentials') {
    throw new UnsupportedGrantTypeError(`grant_type ${grantType.slice(0, 50)}`);
  }
}

/**
 * RFC 6749 §3.3: the requested scopes must all be allowed to the client (fail closed); without
 * a `scope` parameter the token carries every scope the client is allowed.
 */
function resolveScopes(requested: string | undefined, allowed: readonly string[]): string[] {
  if (requested === undefined) return [...allowed];
  const scopes = splitScopeParameter(requested);
  if (scopes.length === 0) return [...allowed];
  if (!scopes.every(isScopeToken)) {
    throw new InvalidScopeError('The scope parameter is malformed.');
  }
  const denied = scopes.filter((scope) => !allowed.includes(scope));
  if (denied.length > 0) {
    throw new InvalidScopeError(
      'The requested scope is invalid, unknown, or exceeds what the client is allowed.',
      `denied: ${denied.join(' ').slice(0, 200)}`,
    );
  }
  return scopes;
}

/**
 * Token issuance: a chain of small steps, each throwing one RFC 6749 §5.2 error. The client is
 * authenticated first, so that an unauthenticated caller learns nothing else.
 */
@Injectable()
export class TokenService {
  private readonly logger = new Logger('M2mTokens');

  constructor(
    private readonly authenticator: ClientAuthenticator,
    private readonly keys: SigningKeysService,
    @Inject(M2M_RESOLVED_OPTIONS) private readonly options: ResolvedM2mOptions,
  ) {}

  /** Handles a client credentials token request (RFC 6749 §4.4). */
  async exchange(request: TokenRequest): Promise<M2mTokenResponse> {
    const client = await this.authenticator.authenticate(request);
    checkGrantType(request.grantType);
    const scopes = resolveScopes(request.scope, client.scopes);
    const response = await this.issue({ ...client, scopes });
    this.logger.debug(`Issued a token to ${client.clientId} for "${response.scope ?? ''}"`);
    return response;
  }

  /** Signs an RFC 9068 access token for an already authenticated subject. */
  async issue(subject: M2mTokenSubject): Promise<M2mTokenResponse> {
    const key = this.keys.activeKey();
    const now = Math.floor(Date.now() / 1000);
    const clientEnd =
      subject.expiresAt === null ? Infinity : Math.floor(subject.expiresAt.getTime() / 1000);
    const exp = Math.min(now + this.options.accessTokenTtlSeconds, clientEnd);
    const scope = subject.scopes.join(' ');
    const token = await new SignJWT({
      client_id: subject.clientId,
      ...(scope === '' ? {} : { scope }),
    })
      .setProtectedHeader({ alg: key.alg, typ: 'at+jwt', kid: key.kid })
      .setIssuer(this.options.issuer)
      .setSubject(subject.clientId)
      .setAudience(this.options.audience)
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .setJti(randomBytes(16).toString('base64url'))
      .sign(key.privateKey);
    return {
      access_token: token,
      token_type: 'Bearer',
      expires_in: exp - now,
      ...(scope === '' ? {} : { scope }),
    };
  }
}
