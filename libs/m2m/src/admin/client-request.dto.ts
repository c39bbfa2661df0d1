import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { IsArray, IsIn, IsInt, IsObject, IsOptional, IsString, Max, Min } from 'class-validator';
import type { M2mClientMetadata, M2mClientStatus, M2mPublicJwks } from '../domain/client.js';
import { CLIENT_METADATA_SCHEMA } from './client-metadata.schema.js';
import { IsDateTime, IsOptionalOrNull } from './dto-validation.decorator.js';

// Request DTOs check types and shape; the registry's rules (lengths, scope syntax, metadata
// limits, expiry bounds) are enforced by ClientsService for every caller, so they live there.

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

  @ApiPropertyOptional(CLIENT_METADATA_SCHEMA)
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
  @IsOptionalOrNull()
  @IsDateTime()
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
  @IsOptionalOrNull()
  @IsObject()
  jwks?: M2mPublicJwks | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'private_key_jwt: an https URL of the client’s JWKS.',
  })
  @IsOptionalOrNull()
  @IsString()
  jwks_uri?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: 200,
    description: 'The user, organisation or tenant of your application that owns the client.',
  })
  @IsOptionalOrNull()
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

/** Body of `POST /m2m/clients/{client_id}/secrets/rotation`. */
export class StartRotationDto {
  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 0,
    description:
      'Seconds after which the current secret stops working on its own; null waits for complete. Default: the server’s rotationGraceSeconds.',
  })
  @IsOptionalOrNull()
  @IsInt()
  @Min(0)
  @Max(366 * 24 * 3600)
  grace_seconds?: number | null;
}
