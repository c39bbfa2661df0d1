import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Put,
  Req,
  UseFilters,
} from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  type HeadersObject,
} from '@nestjs/swagger';
import { REGISTRATION_PATH } from '../domain/endpoint-paths.js';
import { NO_STORE_HEADERS } from '../http/api-error-response.decorator.js';
import { BearerTokenError } from '../http/bearer-token.error.js';
import { OAuthExceptionFilter } from '../http/oauth-exception.filter.js';
import { readBearerHeader } from '../guards/bearer.strategy.js';
import { readClientMetadata, readClientMetadataUpdate } from './client-metadata.reader.js';
import {
  ClientRegistrationService,
  type M2mRegistrationResponse,
} from './client-registration.service.js';
import { ApiRegistrationErrors } from './registration-responses.decorator.js';
import { RegistrationRequestDto, RegistrationResponseDto } from './registration.dto.js';

interface HttpRequest {
  headers: Record<string, string | string[] | undefined>;
}

/**
 * The bearer token of the request (initial or registration access token). RFC 6750 §3.1: a
 * malformed Bearer header is a 400 `invalid_request`, and a request without a token gets a
 * challenge without an error code.
 */
function bearerOf(request: HttpRequest): string {
  const header = readBearerHeader(request.headers['authorization']);
  if (header.kind === 'malformed') throw BearerTokenError.malformed(header.detail);
  if (header.kind !== 'token') throw BearerTokenError.missing();
  return header.token;
}

/** Reads of a registration: the answer holds the client's metadata, not to be cached. */
const READ_HEADERS: HeadersObject = { 'Cache-Control': NO_STORE_HEADERS['Cache-Control']! };

/**
 * Dynamic client registration (RFC 7591) and management (RFC 7592). Answers 404 unless the
 * `dynamicRegistration` option is set. The bearer token is checked before the body is read; a
 * token the service refuses (`AccessTokenError`) gets the RFC 6750 answer from the filter.
 */
@ApiTags('OAuth 2.0 dynamic client registration')
@Controller(REGISTRATION_PATH)
@UseFilters(OAuthExceptionFilter)
export class RegistrationController {
  constructor(private readonly registration: ClientRegistrationService) {}

  private requireEnabled(): void {
    if (!this.registration.enabled) throw new NotFoundException();
  }

  @Post()
  @HttpCode(201)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  @ApiOperation({
    summary: 'Register a client (RFC 7591)',
    description:
      'Send one of the configured initial access tokens as `Authorization: Bearer …`. The answer holds the client secret and the registration access token, once.',
  })
  @ApiBody({ type: RegistrationRequestDto })
  @ApiCreatedResponse({ type: RegistrationResponseDto, headers: NO_STORE_HEADERS })
  @ApiRegistrationErrors({ body: true })
  async register(
    @Req() request: HttpRequest,
    @Body() body: unknown,
  ): Promise<M2mRegistrationResponse> {
    this.requireEnabled();
    this.registration.checkInitialAccessToken(bearerOf(request));
    return this.registration.register(readClientMetadata(body));
  }

  @Get(':client_id')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Read a registration (RFC 7592 §2.1)',
    description: 'Authenticate with the registration access token as `Authorization: Bearer …`.',
  })
  @ApiParam({ name: 'client_id' })
  @ApiOkResponse({ type: RegistrationResponseDto, headers: READ_HEADERS })
  @ApiRegistrationErrors()
  async read(
    @Req() request: HttpRequest,
    @Param('client_id') clientId: string,
  ): Promise<M2mRegistrationResponse> {
    this.requireEnabled();
    return this.registration.read(await this.registration.authorise(clientId, bearerOf(request)));
  }

  @Put(':client_id')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Replace a registration’s metadata (RFC 7592 §2.2)',
    description: 'Authenticate with the registration access token as `Authorization: Bearer …`.',
  })
  @ApiParam({ name: 'client_id' })
  @ApiBody({ type: RegistrationRequestDto })
  @ApiOkResponse({ type: RegistrationResponseDto, headers: READ_HEADERS })
  @ApiRegistrationErrors({ body: true })
  async update(
    @Req() request: HttpRequest,
    @Param('client_id') clientId: string,
    @Body() body: unknown,
  ): Promise<M2mRegistrationResponse> {
    this.requireEnabled();
    const client = await this.registration.authorise(clientId, bearerOf(request));
    return this.registration.update(client, readClientMetadataUpdate(body, clientId));
  }

  @Delete(':client_id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete a registration and revoke the client’s tokens (RFC 7592 §2.3)',
    description: 'Authenticate with the registration access token as `Authorization: Bearer …`.',
  })
  @ApiParam({ name: 'client_id' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiRegistrationErrors()
  async delete(@Req() request: HttpRequest, @Param('client_id') clientId: string): Promise<void> {
    this.requireEnabled();
    await this.registration.delete(await this.registration.authorise(clientId, bearerOf(request)));
  }
}
