import {
  All,
  Controller,
  Get,
  Header,
  HttpCode,
  Post,
  Req,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiExcludeEndpoint,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { OAuthExceptionFilter } from '../errors/oauth-exception.filter.js';
import { MethodNotAllowedError } from '../errors/oauth.error.js';
import { SigningKeysService } from '../keys/signing-keys.service.js';
import { readTokenRequest } from '../tokens/token-request.js';
import { TokenService, type M2mTokenResponse } from '../tokens/token.service.js';
import {
  JWKS_PATH,
  ServerMetadataService,
  TOKEN_PATH,
  type M2mServerMetadata,
} from './server-metadata.js';
import { TokenRateLimitGuard } from './token-rate-limit.guard.js';
import { OAuthErrorDto, TokenRequestDto, TokenResponseDto } from './token.dto.js';

interface HttpRequest {
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
}

function header(request: HttpRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The OAuth 2.0 HTTP edge: token endpoint, JWKS and authorization server metadata. */
@ApiTags('OAuth 2.0')
@Controller()
export class OAuthController {
  constructor(
    private readonly tokens: TokenService,
    private readonly keys: SigningKeysService,
    private readonly metadata: ServerMetadataService,
  ) {}

  @Post(TOKEN_PATH)
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  @UseGuards(TokenRateLimitGuard)
  @UseFilters(OAuthExceptionFilter)
  @ApiOperation({
    summary: 'Client credentials token request (RFC 6749 §4.4)',
    description:
      'Authenticate with HTTP Basic (client_secret_basic) or with client_id and client_secret in the body (client_secret_post), not both.',
  })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: TokenRequestDto })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiBadRequestResponse({
    type: OAuthErrorDto,
    description: 'invalid_request, unsupported_grant_type or invalid_scope',
  })
  @ApiUnauthorizedResponse({ type: OAuthErrorDto, description: 'invalid_client' })
  @ApiTooManyRequestsResponse({ type: OAuthErrorDto })
  async token(@Req() request: HttpRequest): Promise<M2mTokenResponse> {
    const tokenRequest = readTokenRequest({
      contentType: header(request, 'content-type'),
      authorization: header(request, 'authorization'),
      body: request.body,
    });
    return this.tokens.exchange(tokenRequest);
  }

  /** RFC 6749 §3.2: the token endpoint takes POST only. */
  @All(TOKEN_PATH)
  @UseFilters(OAuthExceptionFilter)
  @ApiExcludeEndpoint()
  tokenMethodNotAllowed(): never {
    throw new MethodNotAllowedError(['POST']);
  }

  @Get(JWKS_PATH)
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({ summary: 'JSON Web Key Set: public keys that verify access tokens (RFC 7517)' })
  jwks(): object {
    return this.keys.jwks();
  }

  @Get('.well-known/oauth-authorization-server')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({ summary: 'Authorization server metadata (RFC 8414)' })
  serverMetadata(): M2mServerMetadata {
    return this.metadata.document();
  }
}
