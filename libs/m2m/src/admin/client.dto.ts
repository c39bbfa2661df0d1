import {
  ApiProperty,
  ApiPropertyOptional,
  OmitType,
  PartialType,
  type ApiPropertyOptions,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import type {
  M2mClientView,
  M2mCreatedClient,
  M2mRotationStarted,
} from '../clients/client.model.js';
import type { M2mClientMetadata, M2mClientStatus, M2mPublicJwks } from '../domain/client.js';

// Request DTOs check types and shape; the registry's rules (lengths, scope syntax, metadata
// limits, expiry bounds) are enforced by ClientsService for every caller, so they live there.

const METADATA_SCHEMA: ApiPropertyOptions = {
  type: 'object',
  additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
  nullable: true,
  description: 'Flat key/value metadata: at most 50 keys and 4096 bytes as JSON.',
  example: { tenant: 'acme', tier: 'gold' },
};

/** Body of `POST /m2m/clients`. */
export class CreateClientDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'billing-service' })
  @IsString()
  client_name!: string;

  @ApiPropertyOptional({ maxLength: 1000, nullable: true, type: String })
  @IsOptional()
  @IsString()
  description?: string | null;

  @ApiProperty({ type: [String], example: ['reports:read'], maxItems: 100 })
  @IsArray()
  @IsString({ each: true })
  scopes!: string[];

  @ApiPropertyOptional({
    type: [String],
    description:
      'Resource servers (RFC 8707 resource URIs, from the server’s `resources`) the client may request tokens for.',
    example: ['https://orders.example.com'],
  })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  audiences?: string[];

  @ApiPropertyOptional(METADATA_SCHEMA)
  @IsOptional()
  @IsObject()
  metadata?: M2mClientMetadata | null;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      'When the credentials stop working. Omitted: the configured default lifetime; null: never (when allowed).',
  })
  @ValidateIf((_dto, value) => value !== null)
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  expires_at?: string | null;

  @ApiPropertyOptional({
    enum: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    default: 'client_secret_basic',
    description:
      'client_secret_*: the client gets a secret (Basic and post both work). private_key_jwt: it signs assertions with its keys (RFC 7523) and has no secret.',
  })
  @IsOptional()
  @IsIn(['client_secret_basic', 'client_secret_post', 'private_key_jwt'])
  token_endpoint_auth_method?: string;

  @ApiPropertyOptional({
    type: Object,
    nullable: true,
    description: 'private_key_jwt: the client’s public keys as a JWKS.',
  })
  @ValidateIf((_dto, value) => value !== null)
  @IsOptional()
  @IsObject()
  jwks?: M2mPublicJwks | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'private_key_jwt: an https URL of the client’s JWKS.',
  })
  @ValidateIf((_dto, value) => value !== null)
  @IsOptional()
  @IsString()
  jwks_uri?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: 200,
    description: 'The user, organisation or tenant of your application that owns the client.',
  })
  @ValidateIf((_dto, value) => value !== null)
  @IsOptional()
  @IsString()
  owner_id?: string | null;
}

/** Body of `PATCH /m2m/clients/{client_id}`: only the members present change. */
export class UpdateClientDto extends PartialType(
  OmitType(CreateClientDto, ['owner_id', 'token_endpoint_auth_method'] as const),
) {
  @ApiPropertyOptional({
    enum: ['active', 'disabled'],
    description: 'Disabling revokes the client’s tokens.',
  })
  @IsOptional()
  @IsIn(['active', 'disabled'])
  status?: M2mClientStatus;
}

/** Query of `GET /m2m/clients`. */
export class ListClientsQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  limit?: number;

  @ApiPropertyOptional({ description: 'The `next_cursor` of the previous page.' })
  @IsOptional()
  @IsString()
  cursor?: string;

  @ApiPropertyOptional({ enum: ['active', 'disabled'] })
  @IsOptional()
  @IsIn(['active', 'disabled'])
  status?: M2mClientStatus;

  @ApiPropertyOptional({ description: 'Only clients of this owner.' })
  @IsOptional()
  @IsString()
  owner_id?: string;

  @ApiPropertyOptional({ description: 'Only clients allowed this scope.' })
  @IsOptional()
  @IsString()
  scope?: string;

  @ApiPropertyOptional({
    description: 'Only clients whose name starts with this (case-sensitive).',
  })
  @IsOptional()
  @IsString()
  name_prefix?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Only clients that expire at or before this instant.',
  })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  expires_before?: string;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 3660,
    description: 'Only clients that expire within this many days.',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3660)
  expires_within_days?: number;
}

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

  @ApiProperty(METADATA_SCHEMA)
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

/** Body of `POST /m2m/clients/{client_id}/secrets/rotation`. */
export class StartRotationDto {
  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 0,
    description:
      'Seconds after which the current secret stops working on its own; null waits for complete. Default: the server’s rotationGraceSeconds.',
  })
  @ValidateIf((_dto, value) => value !== null)
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(366 * 24 * 3600)
  grace_seconds?: number | null;
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
