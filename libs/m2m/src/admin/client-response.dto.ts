import { ApiProperty } from '@nestjs/swagger';
import type {
  M2mClientView,
  M2mCreatedClient,
  M2mRotationStarted,
} from '../clients/client.model.js';
import type { M2mClientMetadata, M2mClientStatus, M2mPublicJwks } from '../domain/client.js';
import { CLIENT_METADATA_SCHEMA } from './client-metadata.schema.js';

/** A rotation in progress, as the admin API shows it. */
export class RotationDto {
  @ApiProperty({ description: 'Last four characters of the next secret.' })
  next_secret_hint!: string;

  @ApiProperty({ format: 'date-time' })
  started_at!: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the next secret last obtained a token.',
  })
  next_secret_last_used_at!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the current secret stops authenticating on its own; null: at complete.',
  })
  current_secret_expires_at!: string | null;
}

/** A client in admin API responses. Never carries the secret. */
export class ClientDto {
  @ApiProperty({ example: 'm2mc_3q2x0JvKQy8b1dF5m9Zt6w' })
  client_id!: string;

  @ApiProperty()
  client_name!: string;

  @ApiProperty({ nullable: true, type: String })
  description!: string | null;

  @ApiProperty({ type: [String] })
  scopes!: string[];

  @ApiProperty({
    type: [String],
    description: 'Resources (RFC 8707) the client may request tokens for.',
  })
  audiences!: string[];

  @ApiProperty(CLIENT_METADATA_SCHEMA)
  metadata!: M2mClientMetadata | null;

  @ApiProperty({ enum: ['active', 'disabled'] })
  status!: M2mClientStatus;

  @ApiProperty({ description: 'Last four characters of the secret.', example: 'x9Qa' })
  secret_hint!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  expires_at!: string | null;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ format: 'date-time' })
  updated_at!: string;

  @ApiProperty({ type: String, nullable: true })
  owner_id!: string | null;

  @ApiProperty({ enum: ['client_secret_basic', 'private_key_jwt'] })
  token_endpoint_auth_method!: string;

  @ApiProperty({ type: Object, nullable: true })
  jwks!: M2mPublicJwks | null;

  @ApiProperty({ type: String, nullable: true })
  jwks_uri!: string | null;

  @ApiProperty({ format: 'date-time', description: 'When the current secret was issued.' })
  secret_created_at!: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the current secret last obtained a token.',
  })
  secret_last_used_at!: string | null;

  @ApiProperty({ type: RotationDto, nullable: true })
  rotation!: RotationDto | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  last_used_at!: string | null;

  @ApiProperty({ description: 'Tokens issued to the client.' })
  token_count!: number;

  static from(view: M2mClientView): ClientDto {
    const iso = (date: Date | null) => date?.toISOString() ?? null;
    return Object.assign(new ClientDto(), {
      client_id: view.clientId,
      client_name: view.clientName,
      description: view.description,
      scopes: view.scopes,
      audiences: view.audiences,
      metadata: view.metadata,
      status: view.status,
      secret_hint: view.secretHint,
      expires_at: iso(view.expiresAt),
      created_at: view.createdAt.toISOString(),
      updated_at: view.updatedAt.toISOString(),
      owner_id: view.ownerId,
      token_endpoint_auth_method:
        view.authMethod === 'private_key_jwt' ? 'private_key_jwt' : 'client_secret_basic',
      jwks: view.jwks,
      jwks_uri: view.jwksUri,
      secret_created_at: view.secretCreatedAt.toISOString(),
      secret_last_used_at: iso(view.secretLastUsedAt),
      rotation:
        view.nextSecret === null
          ? null
          : {
              next_secret_hint: view.nextSecret.hint,
              started_at: view.nextSecret.createdAt.toISOString(),
              next_secret_last_used_at: iso(view.nextSecret.lastUsedAt),
              current_secret_expires_at: iso(view.secretExpiresAt),
            },
      last_used_at: iso(view.lastUsedAt),
      token_count: view.tokenCount,
    });
  }
}

/** The `POST /m2m/clients` response: the only one that contains the secret. */
export class CreatedClientDto extends ClientDto {
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'Shown once. Store it now: it cannot be retrieved again. Null for private_key_jwt clients.',
  })
  client_secret!: string | null;

  static fromCreated(created: M2mCreatedClient): CreatedClientDto {
    return Object.assign(new CreatedClientDto(), ClientDto.from(created), {
      client_secret: created.clientSecret,
    });
  }
}

/** The response of starting a rotation: the only one with the next secret. */
export class RotationStartedDto extends ClientDto {
  @ApiProperty({ description: 'Shown once. Both secrets work until the rotation is completed.' })
  next_client_secret!: string;

  static fromStarted(started: M2mRotationStarted): RotationStartedDto {
    return Object.assign(new RotationStartedDto(), ClientDto.from(started), {
      next_client_secret: started.nextClientSecret,
    });
  }
}

/** A page of clients. */
export class ClientPageDto {
  @ApiProperty({ type: [ClientDto] })
  data!: ClientDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Cursor of the next page, or null.' })
  next_cursor!: string | null;
}
