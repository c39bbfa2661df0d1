import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Token request parameters (RFC 6749 §4.4.2), for the OpenAPI document. */
export class TokenRequestDto {
  @ApiProperty({ enum: ['client_credentials'] })
  grant_type!: string;

  @ApiPropertyOptional({
    description: 'Space-delimited scopes; omitted: every scope the client is allowed.',
  })
  scope?: string;

  @ApiPropertyOptional({ description: 'client_secret_post only.' })
  client_id?: string;

  @ApiPropertyOptional({ description: 'client_secret_post only.' })
  client_secret?: string;
}

/** Successful token response (RFC 6749 §5.1). */
export class TokenResponseDto {
  @ApiProperty({ description: 'RFC 9068 JWT access token.' })
  access_token!: string;

  @ApiProperty({ enum: ['Bearer'] })
  token_type!: string;

  @ApiProperty({ example: 3600 })
  expires_in!: number;

  @ApiPropertyOptional({ example: 'reports:read' })
  scope?: string;
}

/** Error response (RFC 6749 §5.2). */
export class OAuthErrorDto {
  @ApiProperty({ example: 'invalid_client' })
  error!: string;

  @ApiPropertyOptional({ example: 'Client authentication failed.' })
  error_description?: string;
}

/** Parameters of the introspection and revocation endpoints. */
export class TokenParameterDto {
  @ApiProperty({ description: 'The access token.' })
  token!: string;

  @ApiPropertyOptional({
    enum: ['access_token'],
    description: 'Accepted and ignored: only access tokens exist.',
  })
  token_type_hint?: string;

  @ApiPropertyOptional({ description: 'client_secret_post only.' })
  client_id?: string;

  @ApiPropertyOptional({ description: 'client_secret_post only.' })
  client_secret?: string;
}
