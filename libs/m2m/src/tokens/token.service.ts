import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { loggableClientId } from '../clients/client-secret.js';
import { isScopeToken, splitScopeParameter } from '../domain/scope.js';
import {
  InvalidClientError,
  InvalidRequestError,
  InvalidTargetError,
  InvalidScopeError,
  UnsupportedGrantTypeError,
} from '../errors/oauth.error.js';
import { SigningKeysService } from '../keys/signing-keys.service.js';
import { M2M_RESOLVED_OPTIONS } from '../m2m.internal-constants.js';
import type { ResolvedM2mOptions } from '../options/resolved-options.js';
import { AuditLog } from '../audit/audit-log.service.js';
import type { M2mClientMetadata, StoredClient } from '../domain/client.js';
import { ClientAuthenticator, type AuthenticatedClient } from './client-authenticator.service.js';
import { IssuanceQuota } from './issuance-quota.service.js';
import type { ClientAuthentication, TokenRequest } from './token-request.js';

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
  /** `aud` of the token. @default the configured audience */
  audience?: string;
  /** Revocation generation of the client (see `RevocationList`). @default 0 */
  tokenVersion?: number;
  ownerId?: string | null;
  metadata?: M2mClientMetadata | null;
}

/** Random bytes drawn in bulk: one system call per 256 token ids instead of one per token. */
const TOKEN_ID_BYTES = 16;
let idPool = Buffer.alloc(0);
let idOffset = 0;

/** A unique `jti`: 128 random bits, base64url. */
function newTokenId(): string {
  if (idOffset + TOKEN_ID_BYTES > idPool.length) {
    idPool = randomBytes(TOKEN_ID_BYTES * 256);
    idOffset = 0;
  }
  idOffset += TOKEN_ID_BYTES;
  return idPool.toString('base64url', idOffset - TOKEN_ID_BYTES, idOffset);
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
/** Whether two absolute URIs are the same after RFC 3986 syntax- and scheme-based normalisation. */
function sameUri(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return false;
  }
}

@Injectable()
export class TokenService {
  constructor(
    private readonly authenticator: ClientAuthenticator,
    private readonly keys: SigningKeysService,
    private readonly audit: AuditLog,
    private readonly quota: IssuanceQuota,
    @Inject(M2M_RESOLVED_OPTIONS) private readonly options: ResolvedM2mOptions,
  ) {}

  /** Handles a client credentials token request (RFC 6749 §4.4). */
  async exchange(request: TokenRequest, receivedAt = Date.now()): Promise<M2mTokenResponse> {
    const { client, secret } = await this.authenticate(request, receivedAt);
    checkGrantType(request.grantType);
    const target = this.target(request.resource, client);
    const scopes = resolveScopes(request.scope, target.scopes);
    await this.quota.consume(client.clientId);
    const { response, jti } = await this.sign({
      clientId: client.clientId,
      scopes,
      expiresAt: client.expiresAt,
      audience: target.audience,
      tokenVersion: client.tokenVersion,
      ownerId: client.ownerId,
      metadata: client.metadata,
    });
    this.audit.countUsage(client.clientId, secret);
    this.audit.recordLater({
      type: 'token.issued',
      clientId: client.clientId,
      ownerId: client.ownerId,
      actor: { type: 'client', id: client.clientId },
      details: { scope: response.scope ?? '', jti, secret },
    });
    return response;
  }

  /** Signs an RFC 9068 access token for an already authenticated subject. */
  async issue(subject: M2mTokenSubject): Promise<M2mTokenResponse> {
    return (await this.sign(subject)).response;
  }

  /**
   * Authenticates the client of a request to any client-authenticated endpoint; a failure is
   * recorded in the audit log and thrown as `invalid_client`, no sooner than
   * `secretVerification.failureDelayMs` after `receivedAt`.
   */
  async authenticate(
    request: ClientAuthentication,
    receivedAt = Date.now(),
  ): Promise<AuthenticatedClient> {
    try {
      return await this.authenticator.authenticate(request);
    } catch (error) {
      if (!(error instanceof InvalidClientError)) throw error;
      const claimed = request.credentials?.clientId ?? request.assertion?.clientId;
      if (claimed !== undefined || request.assertion != null) {
        this.audit.recordFailure(
          loggableClientId((claimed ?? 'assertion').slice(0, 64)),
          request.credentials?.method ?? 'private_key_jwt',
          error.limited,
        );
      }
      const wait = receivedAt + this.options.secretVerification.failureDelayMs - Date.now();
      if (wait > 0) await sleep(wait);
      throw error;
    }
  }

  private async sign(
    subject: M2mTokenSubject,
  ): Promise<{ response: M2mTokenResponse; jti: string }> {
    const now = Math.floor(Date.now() / 1000);
    const clientEnd =
      subject.expiresAt === null ? Infinity : Math.floor(subject.expiresAt.getTime() / 1000);
    const exp = Math.min(now + this.options.accessTokenTtlSeconds, clientEnd);
    const scope = subject.scopes.join(' ');
    const jti = newTokenId();
    const metadata = this.metadataClaim(subject.metadata ?? null);
    // RFC 9068 §2.2: the claims of a JWT access token; `sub` is the client itself.
    const token = await this.keys.activeKey().sign({
      iss: this.options.issuer,
      sub: subject.clientId,
      aud: subject.audience ?? this.options.audience,
      client_id: subject.clientId,
      ...(scope === '' ? {} : { scope }),
      iat: now,
      exp,
      jti,
      token_version: subject.tokenVersion ?? 0,
      ...(subject.ownerId == null ? {} : { owner_id: subject.ownerId }),
      ...(metadata === null ? {} : { metadata }),
    });
    const response: M2mTokenResponse = {
      access_token: token,
      token_type: 'Bearer',
      expires_in: exp - now,
      ...(scope === '' ? {} : { scope }),
    };
    return { response, jti };
  }

  /**
   * RFC 8707: the audience of the token and the client's scopes that belong to it. Without a
   * resource, or with the default audience itself as the resource (clients that always send one,
   * as MCP clients do; compared after RFC 3986 §6.2.3 normalisation, so `https://api.example`
   * and `https://api.example/` are one), the default audience, exactly as configured, and the
   * scopes that belong to no registered resource.
   */
  private target(
    resource: string | undefined,
    client: StoredClient,
  ): { audience: string; scopes: string[] } {
    if (resource === undefined || sameUri(resource, this.options.audience)) {
      const own = this.options.resources.get(this.options.audience);
      return {
        audience: this.options.audience,
        scopes: client.scopes.filter(
          (s) => !this.options.resourceScopes.has(s) || own?.includes(s) === true,
        ),
      };
    }
    const scopes = this.options.resources.get(resource);
    if (scopes === undefined || !client.audiences.includes(resource)) {
      throw new InvalidTargetError(
        'The requested resource is unknown or not allowed for this client.',
        `client ${client.clientId} asked for ${resource.slice(0, 200)}`,
      );
    }
    return { audience: resource, scopes: client.scopes.filter((s) => scopes.includes(s)) };
  }

  /** The allow-listed metadata keys the client has, or null when there are none. */
  private metadataClaim(metadata: M2mClientMetadata | null): M2mClientMetadata | null {
    if (metadata === null || this.options.metadataClaims.length === 0) return null;
    const picked = Object.fromEntries(
      this.options.metadataClaims
        .filter((key) => Object.hasOwn(metadata, key))
        .map((key) => [key, metadata[key]!]),
    );
    return Object.keys(picked).length === 0 ? null : picked;
  }
}
