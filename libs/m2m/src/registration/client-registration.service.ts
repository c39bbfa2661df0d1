import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ClientNotFoundError, ClientValidationError } from '../errors/admin.error.js';
import { AccessTokenError } from '../errors/access-token.error.js';
import { InvalidClientMetadataError } from '../errors/oauth.error.js';
import { M2M_RESOLVED_OPTIONS } from '../m2m.internal-constants.js';
import type { ResolvedM2mOptions } from '../options/resolved-options.js';
import { ClientStore } from '../stores/client-store.js';
import type { M2mPublicJwks, StoredClient } from '../domain/client.js';
import type { M2mCallContext } from '../domain/call-context.js';
import { REGISTRATION_PATH } from '../domain/endpoint-paths.js';
import type { M2mClientView } from '../clients/client.model.js';
import { ClientsService } from '../clients/clients.service.js';

/** Client metadata of a registration (RFC 7591 §2), as read from the request. */
export interface M2mRegistrationMetadata {
  clientName: string;
  scopes: string[];
  /** Absent: the client gets a secret. */
  authMethod?: 'private_key_jwt';
  jwks?: M2mPublicJwks;
  jwksUri?: string;
}

/** RFC 7591 §3.2.1 / RFC 7592 §3 client information response. */
export interface M2mRegistrationResponse {
  client_id: string;
  client_secret?: string;
  client_id_issued_at: number;
  client_secret_expires_at?: number;
  registration_access_token?: string;
  registration_client_uri: string;
  client_name: string;
  scope: string;
  grant_types: ['client_credentials'];
  token_endpoint_auth_method: string;
  jwks?: M2mPublicJwks;
  jwks_uri?: string;
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Constant-time comparison of a presented token with a stored SHA-256. */
function matches(presented: string, storedHex: string | null): boolean {
  const expected = Buffer.from(storedHex ?? '00'.repeat(32), 'hex');
  return timingSafeEqual(sha256(presented), expected) && storedHex !== null;
}

/**
 * Dynamic client registration (RFC 7591) and its management protocol (RFC 7592). Off unless
 * configured. The server assigns the client id, returns the secret once, and gives a
 * registration access token that can read, update and delete that one client. A token that is
 * not valid is an `AccessTokenError`; metadata the registry refuses is `invalid_client_metadata`.
 */
@Injectable()
export class ClientRegistrationService {
  constructor(
    private readonly clients: ClientsService,
    private readonly store: ClientStore,
    @Inject(M2M_RESOLVED_OPTIONS) private readonly options: ResolvedM2mOptions,
  ) {}

  get enabled(): boolean {
    return this.options.dynamicRegistration !== null;
  }

  /** RFC 7591 §3: checks that `token` is one of the configured initial access tokens. */
  checkInitialAccessToken(token: string): void {
    const known = this.settings().initialAccessTokens.map((initial) => sha256(initial));
    const presented = sha256(token);
    // Every configured token is compared, in constant time, whichever matches.
    const authorised = known.reduce((ok, hash) => timingSafeEqual(hash, presented) || ok, false);
    if (!authorised) throw new AccessTokenError('invalid_token', 'bad initial access token');
  }

  /** RFC 7591 §3: registers a client, once its initial access token has been checked. */
  async register(metadata: M2mRegistrationMetadata): Promise<M2mRegistrationResponse> {
    const settings = this.settings();
    const registrationToken = `m2mr_${randomBytes(32).toString('base64url')}`;
    const context: M2mCallContext = {
      actor: { type: 'system', id: 'registration' },
      allowedScopes: settings.scopes,
    };
    const created = await this.mapErrors(() =>
      this.clients.create(
        {
          ...metadata,
          registrationTokenHash: sha256(registrationToken).toString('hex'),
        },
        context,
      ),
    );
    return {
      ...this.response(created),
      ...(created.clientSecret === null
        ? {}
        : { client_secret: created.clientSecret, client_secret_expires_at: 0 }),
      registration_access_token: registrationToken,
    };
  }

  /**
   * RFC 7592 §2: the client whose registration access token `token` is. An unknown client gets
   * the same `AccessTokenError` as a wrong token.
   */
  async authorise(clientId: string, token: string): Promise<StoredClient> {
    this.settings();
    const client = await this.store.findById(clientId);
    if (!matches(token, client?.registrationTokenHash ?? null) || client === null) {
      throw new AccessTokenError('invalid_token', 'bad registration access token');
    }
    return client;
  }

  /** RFC 7592 §2.1: the registration of an authorised client. */
  read(client: StoredClient): M2mRegistrationResponse {
    return this.response(client);
  }

  /** RFC 7592 §2.2: the metadata of an authorised client is replaced as a whole. */
  async update(
    client: StoredClient,
    metadata: M2mRegistrationMetadata,
  ): Promise<M2mRegistrationResponse> {
    if ((metadata.authMethod ?? 'client_secret') !== client.authMethod) {
      throw new InvalidClientMetadataError('The token_endpoint_auth_method cannot change.');
    }
    const updated = await this.mapErrors(() =>
      this.clients.update(
        client.clientId,
        {
          clientName: metadata.clientName,
          scopes: metadata.scopes,
          ...(client.authMethod === 'private_key_jwt'
            ? { jwks: metadata.jwks ?? null, jwksUri: metadata.jwksUri ?? null }
            : {}),
        },
        { actor: { type: 'system', id: 'registration' }, allowedScopes: this.settings().scopes },
      ),
    );
    return this.response(updated);
  }

  /** RFC 7592 §2.3: deletes an authorised client (and revokes its tokens). */
  async delete(client: StoredClient): Promise<void> {
    await this.clients.delete(client.clientId, { actor: { type: 'system', id: 'registration' } });
  }

  private settings(): { initialAccessTokens: string[]; scopes: string[] } {
    if (this.options.dynamicRegistration === null) throw new ClientNotFoundError('registration');
    return this.options.dynamicRegistration;
  }

  /** Registry validation errors become RFC 7591 `invalid_client_metadata`. */
  private async mapErrors<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ClientValidationError) {
        const first = error.errors[0]!;
        throw new InvalidClientMetadataError(
          `${first.pointer.slice(2)}: ${first.detail}`,
          error.message,
        );
      }
      throw error;
    }
  }

  private response(client: M2mClientView): M2mRegistrationResponse {
    return {
      client_id: client.clientId,
      client_id_issued_at: Math.floor(client.createdAt.getTime() / 1000),
      registration_client_uri: `${this.options.issuer}/${REGISTRATION_PATH}/${encodeURIComponent(client.clientId)}`,
      client_name: client.clientName,
      scope: client.scopes.join(' '),
      grant_types: ['client_credentials'],
      token_endpoint_auth_method:
        client.authMethod === 'private_key_jwt' ? 'private_key_jwt' : 'client_secret_basic',
      ...(client.jwks === null ? {} : { jwks: client.jwks }),
      ...(client.jwksUri === null ? {} : { jwks_uri: client.jwksUri }),
    };
  }
}
