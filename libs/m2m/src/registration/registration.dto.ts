import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CLIENT_AUTH_METHODS } from '../oauth/server-metadata.service.js';

/** Client metadata of a registration request (RFC 7591 §2); other members are ignored. */
export class RegistrationRequestDto {
  @ApiPropertyOptional({ maxLength: 200, default: 'Dynamically registered client' })
  client_name?: string;

  @ApiPropertyOptional({
    description: 'Space-delimited scopes, among those the server lets registered clients have.',
    example: 'reports:read',
  })
  scope?: string;

  @ApiPropertyOptional({ enum: CLIENT_AUTH_METHODS, default: 'client_secret_basic' })
  token_endpoint_auth_method?: string;

  @ApiPropertyOptional({ type: [String], enum: ['client_credentials'] })
  grant_types?: string[];

  @ApiPropertyOptional({
    type: [String],
    maxItems: 0,
    description: 'Empty if given: there is no authorization endpoint.',
  })
  response_types?: string[];

  @ApiPropertyOptional({ type: Object, description: 'private_key_jwt: the client’s public keys.' })
  jwks?: object;

  @ApiPropertyOptional({ description: 'private_key_jwt: an https URL of the client’s JWKS.' })
  jwks_uri?: string;

  @ApiPropertyOptional({ description: 'Update only: must be the client’s id if given.' })
  client_id?: string;
}

/** Client information response (RFC 7591 §3.2.1, RFC 7592 §3). */
export class RegistrationResponseDto {
  @ApiProperty({ example: 'm2mc_3q2x0JvKQy8b1dF5m9Zt6w' })
  client_id!: string;

  @ApiPropertyOptional({
    description: 'Only in the registration response, and not for private_key_jwt.',
  })
  client_secret?: string;

  @ApiProperty({ type: 'integer', description: 'Seconds since the epoch.' })
  client_id_issued_at!: number;

  @ApiPropertyOptional({
    type: 'integer',
    enum: [0],
    description: 'With `client_secret`: 0, the secret does not expire.',
  })
  client_secret_expires_at?: number;

  @ApiPropertyOptional({
    description:
      'Only in the registration response: the bearer token that reads, updates and deletes this registration.',
  })
  registration_access_token?: string;

  @ApiProperty({ format: 'uri' })
  registration_client_uri!: string;

  @ApiProperty()
  client_name!: string;

  @ApiProperty({ description: 'Space-delimited; empty when the client has no scope.' })
  scope!: string;

  @ApiProperty({ type: [String], enum: ['client_credentials'] })
  grant_types!: string[];

  @ApiProperty({ enum: ['client_secret_basic', 'private_key_jwt'] })
  token_endpoint_auth_method!: string;

  @ApiPropertyOptional({ type: Object })
  jwks?: object;

  @ApiPropertyOptional()
  jwks_uri?: string;
}
