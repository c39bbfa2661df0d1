import {
  All,
  applyDecorators,
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
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { OAuthExceptionFilter } from '../errors/oauth-exception.filter.js';
import { MethodNotAllowedError } from '../errors/oauth.error.js';
import { SigningKeysService } from '../keys/signing-keys.service.js';
import {
  TokenIntrospectionService,
  type M2mIntrospection,
  type TokenParameter,
} from '../tokens/token-introspection.service.js';
import {
  readClientRequest,
  readTokenRequest,
  type TokenHttpRequest,
} from '../tokens/token-request.js';
import { M2M_INTROSPECT_SCOPE } from '../m2m.constants.js';
import { TokenService, type M2mTokenResponse } from '../tokens/token.service.js';
import {
  INTROSPECTION_PATH,
  JWKS_PATH,
  REVOCATION_PATH,
  ServerMetadataService,
  TOKEN_PATH,
  type M2mServerMetadata,
} from './server-metadata.js';
import { TokenRateLimitGuard } from './token-rate-limit.guard.js';
import {
  OAuthErrorDto,
  TokenParameterDto,
  TokenRequestDto,
  TokenResponseDto,
} from './token.dto.js';

interface HttpRequest {
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
}

function header(request: HttpRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function httpOf(request: HttpRequest): TokenHttpRequest {
  return {
    contentType: header(request, 'content-type'),
    authorization: header(request, 'authorization'),
    body: request.body,
  };
}

const TOKEN_PARAMETERS: TokenParameter[] = ['token', 'token_type_hint'];

/**
 * A client-authenticated OAuth endpoint (token, introspection, revocation): 200, no-store
 * (RFC 6749 §5.1), the per-IP rate limit, and RFC 6749 §5.2 errors.
 */
function OAuthEndpoint(): MethodDecorator {
  return applyDecorators(
    HttpCode(200),
    Header('Cache-Control', 'no-store'),
    Header('Pragma', 'no-cache'),
    UseGuards(TokenRateLimitGuard),
    UseFilters(OAuthExceptionFilter),
  );
}

/** The OAuth 2.0 HTTP edge: token endpoint, JWKS and authorization server metadata. */
@ApiTags('OAuth 2.0')
@Controller()
export class OAuthController {
  constructor(
    private readonly tokens: TokenService,
    private readonly keys: SigningKeysService,
    private readonly metadata: ServerMetadataService,
    private readonly introspection: TokenIntrospectionService,
  ) {}

  @Post(TOKEN_PATH)
  @OAuthEndpoint()
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
    return this.tokens.exchange(readTokenRequest(httpOf(request)));
  }

  /** RFC 6749 §3.2: the token endpoint takes POST only. */
  @All(TOKEN_PATH)
  @UseFilters(OAuthExceptionFilter)
  @ApiExcludeEndpoint()
  tokenMethodNotAllowed(): never {
    throw new MethodNotAllowedError(['POST']);
  }

  @Post(INTROSPECTION_PATH)
  @OAuthEndpoint()
  @ApiOperation({
    summary: 'Token introspection (RFC 7662)',
    description: `The caller authenticates like at the token endpoint and needs the ${M2M_INTROSPECT_SCOPE} scope.`,
  })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: TokenParameterDto })
  @ApiOkResponse({ description: '{"active": false}, or the token’s claims with "active": true' })
  @ApiUnauthorizedResponse({ type: OAuthErrorDto, description: 'invalid_client' })
  @ApiForbiddenResponse({ type: OAuthErrorDto, description: 'unauthorized_client' })
  introspect(@Req() request: HttpRequest): Promise<M2mIntrospection> {
    return this.introspection.introspect(readClientRequest(httpOf(request), TOKEN_PARAMETERS));
  }

  @Post(REVOCATION_PATH)
  @OAuthEndpoint()
  @ApiOperation({
    summary: 'Token revocation (RFC 7009): a client revokes one of its own access tokens',
    description: 'Unknown, invalid or expired tokens also get 200.',
  })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: TokenParameterDto })
  @ApiOkResponse({ description: 'Revoked, or nothing to revoke.' })
  @ApiUnauthorizedResponse({ type: OAuthErrorDto, description: 'invalid_client' })
  async revoke(@Req() request: HttpRequest): Promise<void> {
    await this.introspection.revoke(readClientRequest(httpOf(request), TOKEN_PARAMETERS));
  }

  /** RFC 7662 §2.1 and RFC 7009 §2.1: POST only. */
  @All([INTROSPECTION_PATH, REVOCATION_PATH])
  @UseFilters(OAuthExceptionFilter)
  @ApiExcludeEndpoint()
  endpointMethodNotAllowed(): never {
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
