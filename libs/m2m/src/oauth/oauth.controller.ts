import {
  applyDecorators,
  Controller,
  Get,
  Header,
  HttpCode,
  Post,
  Req,
  UseFilters,
} from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import {
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  type HeadersObject,
} from '@nestjs/swagger';
import { NO_STORE_HEADERS } from '../http/api-error-response.decorator.js';
import { OAuthExceptionFilter } from '../http/oauth-exception.filter.js';
import { OAuthError } from '../errors/oauth.error.js';
import { M2mMetrics, type M2mEndpoint } from '../metrics/m2m-metrics.js';
import { SigningKeysService } from '../keys/signing-keys.service.js';
import {
  TokenIntrospectionService,
  type M2mIntrospection,
} from '../tokens/token-introspection.service.js';
import type { ClientAuthentication, TokenParameter } from '../tokens/token-request.js';
import { INTROSPECTION_PATH, REVOCATION_PATH, TOKEN_PATH } from '../domain/endpoint-paths.js';
import { JWKS_PATH } from '../domain/jwks-path.js';
import { M2M_INTROSPECT_SCOPE } from '../m2m.constants.js';
import { TokenRevocationService } from '../revocation/token-revocation.service.js';
import { TokenService, type M2mTokenResponse } from '../tokens/token.service.js';
import { ServerMetadataService, type M2mServerMetadata } from './server-metadata.service.js';
import { JwksDto, ServerMetadataDto } from './discovery.dto.js';
import {
  ApiIntrospectionErrors,
  ApiRevocationErrors,
  ApiTokenErrors,
} from './oauth-responses.decorator.js';
import {
  readClientRequest,
  readTokenRequest,
  tokenHttpRequestOf,
  type HttpRequest,
} from './token-request.reader.js';
import {
  IntrospectionResponseDto,
  TokenParameterDto,
  TokenRequestDto,
  TokenResponseDto,
} from './token.dto.js';

const TOKEN_PARAMETERS: TokenParameter[] = ['token', 'token_type_hint'];

/**
 * A client-authenticated OAuth endpoint (token, introspection, revocation): 200, no-store
 * (RFC 6749 §5.1), and RFC 6749 §5.2 errors.
 */
function OAuthEndpoint(): MethodDecorator {
  return applyDecorators(
    HttpCode(200),
    Header('Cache-Control', 'no-store'),
    Header('Pragma', 'no-cache'),
    UseFilters(OAuthExceptionFilter),
  );
}

/** JWKS and metadata change rarely: both may be cached for five minutes. */
const PUBLIC_CACHE_HEADERS: HeadersObject = {
  'Cache-Control': {
    description: 'May be cached for five minutes.',
    required: true,
    schema: { type: 'string', enum: ['public, max-age=300'] },
  },
};

/** The client a successful request authenticated as, for per-client metrics. */
function claimedClient(request: ClientAuthentication): string | undefined {
  return request.credentials?.clientId ?? request.assertion?.clientId;
}

/**
 * The OAuth 2.0 HTTP edge: the token, introspection and revocation endpoints, the JWKS and the
 * authorization server metadata.
 */
@ApiTags('OAuth 2.0')
@Controller()
export class OAuthController {
  constructor(
    private readonly tokens: TokenService,
    private readonly keys: SigningKeysService,
    private readonly metadata: ServerMetadataService,
    private readonly introspection: TokenIntrospectionService,
    private readonly revocations: TokenRevocationService,
    private readonly metrics: M2mMetrics,
  ) {}

  /** Runs an endpoint's work and reports its outcome and duration. */
  private async measured<T>(
    endpoint: M2mEndpoint,
    request: ClientAuthentication,
    work: () => Promise<T>,
  ): Promise<T> {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      const result = await work();
      const outcome = endpoint === 'token' ? 'issued' : 'ok';
      this.metrics.request(endpoint, outcome, seconds(), claimedClient(request));
      return result;
    } catch (error) {
      this.metrics.request(
        endpoint,
        error instanceof OAuthError ? error.error : 'server_error',
        seconds(),
      );
      throw error;
    }
  }

  @Post(TOKEN_PATH)
  @OAuthEndpoint()
  @ApiOperation({
    summary: 'Client credentials token request (RFC 6749 §4.4)',
    description:
      'Authenticate with HTTP Basic (client_secret_basic) or with client_id and client_secret in the body (client_secret_post), not both.',
  })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: TokenRequestDto })
  @ApiOkResponse({ type: TokenResponseDto, headers: NO_STORE_HEADERS })
  @ApiTokenErrors()
  async token(@Req() request: HttpRequest): Promise<M2mTokenResponse> {
    const receivedAt = Date.now();
    const token = readTokenRequest(tokenHttpRequestOf(request));
    return this.measured('token', token, () => this.tokens.exchange(token, receivedAt));
  }

  @Post(INTROSPECTION_PATH)
  @OAuthEndpoint()
  @ApiOperation({
    summary: 'Token introspection (RFC 7662)',
    description: `The caller authenticates like at the token endpoint and needs the ${M2M_INTROSPECT_SCOPE} scope.`,
  })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: TokenParameterDto })
  @ApiOkResponse({
    type: IntrospectionResponseDto,
    description: '{"active": false}, or the token’s claims with "active": true',
    headers: NO_STORE_HEADERS,
  })
  @ApiIntrospectionErrors()
  introspect(@Req() request: HttpRequest): Promise<M2mIntrospection> {
    const call = readClientRequest(tokenHttpRequestOf(request), TOKEN_PARAMETERS);
    return this.measured('introspection', call, () => this.introspection.introspect(call));
  }

  @Post(REVOCATION_PATH)
  @OAuthEndpoint()
  @ApiOperation({
    summary: 'Token revocation (RFC 7009): a client revokes one of its own access tokens',
    description: 'Unknown, invalid or expired tokens also get 200.',
  })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: TokenParameterDto })
  @ApiOkResponse({
    description: 'Revoked, or nothing to revoke. The body is empty.',
    headers: NO_STORE_HEADERS,
  })
  @ApiRevocationErrors()
  async revoke(@Req() request: HttpRequest): Promise<void> {
    const call = readClientRequest(tokenHttpRequestOf(request), TOKEN_PARAMETERS);
    await this.measured('revocation', call, async () => {
      const { caller, token } = await this.introspection.presentedToken(call);
      await this.revocations.revokePresentedToken(caller, token);
    });
  }

  @Get(JWKS_PATH)
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({ summary: 'JSON Web Key Set: public keys that verify access tokens (RFC 7517)' })
  @ApiOkResponse({ type: JwksDto, headers: PUBLIC_CACHE_HEADERS })
  jwks(): object {
    return this.keys.jwks();
  }

  @Get('.well-known/oauth-authorization-server')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({ summary: 'Authorization server metadata (RFC 8414)' })
  @ApiOkResponse({ type: ServerMetadataDto, headers: PUBLIC_CACHE_HEADERS })
  serverMetadata(): M2mServerMetadata {
    return this.metadata.document();
  }
}
