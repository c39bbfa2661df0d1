import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Token request parameters (RFC 6749 §4.4.2), for the OpenAPI document. */
export class TokenRequestDto {
  @ApiProperty({ enum: ['client_credentials'] })
  grant_type!: string;

  @ApiPropertyOptional({
    description: 'Space-delimited scopes; omitted: every scope the client is allowed.',
  })
  scope?: string;

  @ApiPropertyOptional({
    description:
      'RFC 8707 resource indicator: one of the configured resources the client may use. Omitted: the default audience.',
  })
  resource?: string;

  @ApiPropertyOptional({ description: 'Another name for `resource`; if both are given, equal.' })
  audience?: string;

  @ApiPropertyOptional({ description: 'client_secret_post only.' })
  client_id?: string;

  @ApiPropertyOptional({ description: 'client_secret_post only.' })
  client_secret?: string;

  @ApiPropertyOptional({
    enum: ['urn:ietf:params:oauth:client-assertion-type:jwt-bearer'],
    description: 'private_key_jwt only (RFC 7523).',
  })
  client_assertion_type?: string;

  @ApiPropertyOptional({ description: 'private_key_jwt only: the signed assertion.' })
  client_assertion?: string;
}

/** Successful token response (RFC 6749 §5.1). */
export class TokenResponseDto {
  @ApiProperty({ description: 'RFC 9068 JWT access token.' })
  access_token!: string;

  @ApiProperty({ enum: ['Bearer'] })
  token_type!: string;

  @ApiProperty({ type: 'integer', minimum: 1, example: 3600 })
  expires_in!: number;

  @ApiPropertyOptional({
    description: 'The granted scopes, space-delimited; absent when there are none.',
    example: 'reports:read',
  })
  scope?: string;
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

/**
 * Introspection response (RFC 7662 §2.2): `{"active": false}` and nothing else for a token that
 * is not active (unknown, expired, revoked, foreign); the token's claims when it is.
 */
export class IntrospectionResponseDto {
  @ApiProperty()
  active!: boolean;

  @ApiPropertyOptional({ example: 'reports:read' })
  scope?: string;

  @ApiPropertyOptional({ example: 'm2mc_3q2x0JvKQy8b1dF5m9Zt6w' })
  client_id?: string;

  @ApiPropertyOptional({ enum: ['Bearer'] })
  token_type?: string;

  @ApiPropertyOptional({ type: 'integer', description: 'Expiry, in seconds since the epoch.' })
  exp?: number;

  @ApiPropertyOptional({ type: 'integer', description: 'Issue time, in seconds since the epoch.' })
  iat?: number;

  @ApiPropertyOptional({ type: 'integer' })
  nbf?: number;

  @ApiPropertyOptional({ description: 'The client id.' })
  sub?: string;

  @ApiPropertyOptional({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    description: 'The audience, or the resource the token was issued for.',
  })
  aud?: string | string[];

  @ApiPropertyOptional()
  iss?: string;

  @ApiPropertyOptional({ description: 'Token id, for `POST /m2m/revocations`.' })
  jti?: string;

  @ApiPropertyOptional({ description: 'The owner of the client, if it has one.' })
  owner_id?: string;
}
