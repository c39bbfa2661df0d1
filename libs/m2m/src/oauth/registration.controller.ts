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
import { ApiExcludeController } from '@nestjs/swagger';
import {
  ClientRegistrationService,
  REGISTRATION_PATH,
  type M2mRegistrationResponse,
} from '../clients/client-registration.service.js';
import { BearerTokenError } from '../errors/bearer-token.error.js';
import { OAuthExceptionFilter } from '../errors/oauth-exception.filter.js';
import { readBearerHeader } from '../guards/bearer.strategy.js';

interface HttpRequest {
  headers: Record<string, string | string[] | undefined>;
}

/**
 * The bearer token of the request (initial or registration access token), if any; a malformed
 * Bearer header is a 400 `invalid_request` (RFC 6750 §3.1).
 */
function bearerOf(request: HttpRequest): string | undefined {
  const header = readBearerHeader(request.headers['authorization']);
  if (header.kind === 'malformed') throw BearerTokenError.malformed(header.detail);
  return header.kind === 'token' ? header.token : undefined;
}

/**
 * Dynamic client registration (RFC 7591) and management (RFC 7592). Answers 404 unless the
 * `dynamicRegistration` option is set.
 */
@ApiExcludeController()
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
  register(@Req() request: HttpRequest, @Body() body: unknown): Promise<M2mRegistrationResponse> {
    this.requireEnabled();
    return this.registration.register(bearerOf(request), body);
  }

  @Get(':client_id')
  @Header('Cache-Control', 'no-store')
  read(
    @Req() request: HttpRequest,
    @Param('client_id') clientId: string,
  ): Promise<M2mRegistrationResponse> {
    this.requireEnabled();
    return this.registration.read(clientId, bearerOf(request));
  }

  @Put(':client_id')
  @Header('Cache-Control', 'no-store')
  update(
    @Req() request: HttpRequest,
    @Param('client_id') clientId: string,
    @Body() body: unknown,
  ): Promise<M2mRegistrationResponse> {
    this.requireEnabled();
    return this.registration.update(clientId, bearerOf(request), body);
  }

  @Delete(':client_id')
  @HttpCode(204)
  async delete(@Req() request: HttpRequest, @Param('client_id') clientId: string): Promise<void> {
    this.requireEnabled();
    await this.registration.delete(clientId, bearerOf(request));
  }
}
