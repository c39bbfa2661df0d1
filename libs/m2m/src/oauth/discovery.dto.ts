import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { M2M_SIGNING_ALGORITHMS } from '../options/module-options.js';
import { CLIENT_AUTH_METHODS } from './server-metadata.service.js';

/** Authorization server metadata (RFC 8414 §2), as this server publishes it. */
export class ServerMetadataDto {
  @ApiProperty({ format: 'uri', example: 'https://auth.example.com' })
  issuer!: string;

  @ApiProperty({ format: 'uri' })
  token_endpoint!: string;

  @ApiProperty({ format: 'uri' })
  jwks_uri!: string;

  @ApiProperty({ type: [String], enum: ['client_credentials'] })
  grant_types_supported!: string[];

  @ApiProperty({ type: [String], enum: CLIENT_AUTH_METHODS })
  token_endpoint_auth_methods_supported!: string[];

  @ApiProperty({ type: [String], enum: [...M2M_SIGNING_ALGORITHMS] })
  token_endpoint_auth_signing_alg_values_supported!: string[];

  @ApiProperty({
    type: [String],
    maxItems: 0,
    description: 'Always empty: there is no authorization endpoint.',
  })
  response_types_supported!: string[];

  @ApiProperty({
    type: [String],
    description:
      'The scopes `@RequireScopes()` uses in the application, the configured ones, and the module’s own.',
  })
  scopes_supported!: string[];

  @ApiProperty({ format: 'uri' })
  introspection_endpoint!: string;

  @ApiProperty({ type: [String], enum: CLIENT_AUTH_METHODS })
  introspection_endpoint_auth_methods_supported!: string[];

  @ApiProperty({ format: 'uri' })
  revocation_endpoint!: string;

  @ApiProperty({ type: [String], enum: CLIENT_AUTH_METHODS })
  revocation_endpoint_auth_methods_supported!: string[];

  @ApiPropertyOptional({
    format: 'uri',
    description: 'Only when dynamic registration is on.',
  })
  registration_endpoint?: string;
}

/** A public signing key (RFC 7517 §4), by key type: EC (x, y), OKP (x) or RSA (n, e). */
export class JwkDto {
  @ApiProperty({ enum: ['EC', 'OKP', 'RSA'] })
  kty!: string;

  @ApiProperty({ description: 'The RFC 7638 thumbprint of the key.' })
  kid!: string;

  @ApiProperty({ enum: [...M2M_SIGNING_ALGORITHMS] })
  alg!: string;

  @ApiProperty({ enum: ['sig'] })
  use!: string;

  @ApiPropertyOptional({ enum: ['P-256', 'Ed25519'] })
  crv?: string;

  @ApiPropertyOptional()
  x?: string;

  @ApiPropertyOptional()
  y?: string;

  @ApiPropertyOptional()
  n?: string;

  @ApiPropertyOptional()
  e?: string;
}

/** The JSON Web Key Set (RFC 7517 §5): the keys that verify this server's access tokens. */
export class JwksDto {
  @ApiProperty({ type: [JwkDto] })
  keys!: JwkDto[];
}
