import { ApiProperty } from '@nestjs/swagger';
import { OAUTH_ERROR_CODES } from '../errors/oauth.error.js';

/**
 * An OAuth error response (RFC 6749 §5.2, RFC 7591 §3.2.2), as the token, introspection,
 * revocation and registration endpoints send it, for the OpenAPI document.
 */
export class OAuthErrorDto {
  @ApiProperty({ enum: OAUTH_ERROR_CODES })
  error!: string;

  @ApiProperty({ description: 'Fixed per case; never says more than the code does about why.' })
  error_description!: string;
}
