import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ClientNotFoundError, ClientValidationError } from '../errors/admin.error.js';
import { BearerTokenError } from '../errors/bearer-token.error.js';
import { InvalidClientMetadataError } from '../errors/oauth.error.js';
import { M2M_RESOLVED_OPTIONS } from '../m2m.internal-constants.js';
import { ClientStore } from '../stores/client-store.js';
import type { M2mPublicJwks, StoredClient } from '../domain/client.js';
import type { M2mCallContext } from '../domain/call-context.js';
import { REGISTRATION_PATH } from '../domain/endpoint-paths.js';
import type { M2mClientView } from './client.model.js';
import { ClientsService } from './clients.service.js';
import { type ResolvedM2mOptions } from '../m2m-options.js';
import { splitScopeParameter } from './scope.js';

/** RFC 7591 §2 client metadata this server understands; other members are ignored. */
interface RegistrationMetadata {
  client_name?: unknown;
  scope?: unknown;
  token_endpoint_auth_method?: unknown;
  grant_types?: unknown;
  response_types?: unknown;
  jwks?: unknown;
  jwks_uri?: unknown;
  client_id?: unknown;
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
 * registration access token that can read, update and delete that one client.
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

  /** RFC 7591 §3: registers a client with a valid initial access token. */
  async register(
    initialAccessToken: string | undefined,
    body: unknown,
  ): Promise<M2mRegistrationResponse> {
    const settings = this.settings();
    const known = settings.initialAccessTokens.map((token) => sha256(token));
    const presented = sha256(initialAccessToken ?? '');
    // Every configured token is compared, in constant time, whichever matches.
    const authorised = known.reduce((ok, hash) => timingSafeEqual(hash, presented) || ok, false);
    // RFC 6750 §3.1: a request without a token gets a challenge without an error code.
    if (initialAccessToken === undefined) throw BearerTokenError.missing();
    if (!authorised) throw BearerTokenError.invalid('bad initial access token');

    const metadata = this.metadata(body);
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

  /** RFC 7592 §2.1. */
  async read(
    clientId: string,
    registrationToken: string | undefined,
  ): Promise<M2mRegistrationResponse> {
    return this.response(await this.authorise(clientId, registrationToken));
  }

  /** RFC 7592 §2.2: the metadata is replaced as a whole. */
  async update(
    clientId: string,
    registrationToken: string | undefined,
    body: unknown,
  ): Promise<M2mRegistrationResponse> {
    const client = await this.authorise(clientId, registrationToken);
    const given = (body ?? {}) as RegistrationMetadata;
    if (given.client_id !== undefined && given.client_id !== clientId) {
      throw new InvalidClientMetadataError('The client_id does not match the registration.');
    }
    const metadata = this.metadata(body);
    if ((metadata.authMethod ?? 'client_secret') !== client.authMethod) {
      throw new InvalidClientMetadataError('The token_endpoint_auth_method cannot change.');
    }
    const updated = await this.mapErrors(() =>
      this.clients.update(
        clientId,
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

  /** RFC 7592 §2.3: deletes the client (and revokes its tokens). */
  async delete(clientId: string, registrationToken: string | undefined): Promise<void> {
    await this.authorise(clientId, registrationToken);
    await this.clients.delete(clientId, { actor: { type: 'system', id: 'registration' } });
  }

  private settings(): { initialAccessTokens: string[]; scopes: string[] } {
    if (this.options.dynamicRegistration === null) throw new ClientNotFoundError('registration');
    return this.options.dynamicRegistration;
  }

  /** The client, if the token is its registration access token; 401 otherwise (even if unknown). */
  private async authorise(clientId: string, token: string | undefined): Promise<StoredClient> {
    this.settings();
    if (token === undefined) throw BearerTokenError.missing();
    const client = await this.store.findById(clientId);
    if (!matches(token, client?.registrationTokenHash ?? null) || client === null) {
      throw BearerTokenError.invalid('bad registration access token');
    }
    return client;
  }

  private metadata(body: unknown) {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new InvalidClientMetadataError(
        'The request body must be a JSON object of client metadata.',
      );
    }
    const m = body as RegistrationMetadata;
    const method = m.token_endpoint_auth_method ?? 'client_secret_basic';
    if (
      method !== 'client_secret_basic' &&
      method !== 'client_secret_post' &&
      method !== 'private_key_jwt'
    ) {
      throw new InvalidClientMetadataError(
        'token_endpoint_auth_method must be client_secret_basic, client_secret_post or private_key_jwt.',
      );
    }
    if (
      m.grant_types !== undefined &&
      !(
        Array.isArray(m.grant_types) &&
        m.grant_types.length === 1 &&
        m.grant_types[0] === 'client_credentials'
      )
    ) {
      throw new InvalidClientMetadataError(
        'Only the client_credentials grant type can be registered.',
      );
    }
    if (
      m.response_types !== undefined &&
      !(Array.isArray(m.response_types) && m.response_types.length === 0)
    ) {
      throw new InvalidClientMetadataError(
        'No response types can be registered: this server has no authorization endpoint.',
      );
    }
    if (m.scope !== undefined && typeof m.scope !== 'string') {
      throw new InvalidClientMetadataError('scope must be a space-delimited string.');
    }
    if (m.client_name !== undefined && typeof m.client_name !== 'string') {
      throw new InvalidClientMetadataError('client_name must be a string.');
    }
    return {
      clientName: (m.client_name as string | undefined) ?? 'Dynamically registered client',
      scopes: splitScopeParameter((m.scope as string | undefined) ?? ''),
      ...(method === 'private_key_jwt' ? { authMethod: 'private_key_jwt' as const } : {}),
      ...(m.jwks === undefined ? {} : { jwks: m.jwks as M2mPublicJwks }),
      ...(m.jwks_uri === undefined ? {} : { jwksUri: m.jwks_uri as string }),
    };
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
