import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
} from '@nestjs/swagger';
import { ClientSecretsService } from '../clients/client-secrets.service.js';
import { ClientsService } from '../clients/clients.service.js';
import type { M2mCallContext } from '../domain/call-context.js';
import { ClientStateError } from '../errors/admin.error.js';
import { AdminApi } from './admin-api.decorator.js';
import {
  ApiClientNotFound,
  ApiInvalidInput,
  ApiStateConflict,
  CREATED_CLIENT_HEADERS,
  EXAMPLE_CLIENT_ID,
  SECRET_HEADERS,
} from './admin-responses.decorator.js';
import { AdminContext } from './admin-context.decorator.js';
import { ListClientsQueryDto } from './client-query.dto.js';
import { CreateClientDto, StartRotationDto, UpdateClientDto } from './client-request.dto.js';
import {
  ClientDto,
  ClientPageDto,
  CreatedClientDto,
  RotationStartedDto,
} from './client-response.dto.js';
import { createInput, listQuery, updateInput } from './client-inputs.js';

/** Admin REST API of the client registry. Errors are RFC 9457 problem details. */
@AdminApi('M2M clients')
@Controller('m2m/clients')
export class ClientsAdminController {
  constructor(
    private readonly clients: ClientsService,
    private readonly secrets: ClientSecretsService,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  @Post()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Create a client; the response is the only one with its secret' })
  @ApiCreatedResponse({ type: CreatedClientDto, headers: CREATED_CLIENT_HEADERS })
  @ApiInvalidInput(
    { pointer: '#/client_name', detail: 'client_name must be a string' },
    { body: true },
  )
  async create(
    @Body() body: CreateClientDto,
    @AdminContext() context: M2mCallContext,
    @Res({ passthrough: true }) response: object,
  ): Promise<CreatedClientDto> {
    const created = await this.clients.create(createInput(body), context);
    this.adapterHost.httpAdapter.setHeader(
      response,
      'Location',
      `/m2m/clients/${encodeURIComponent(created.clientId)}`,
    );
    return CreatedClientDto.fromCreated(created);
  }

  @Get()
  @ApiOperation({
    summary: 'List clients, newest first, with cursor pagination and filters',
    description:
      'Filters combine: status, owner_id, scope, name_prefix, expires_before, expires_within_days.',
  })
  @ApiOkResponse({ type: ClientPageDto })
  @ApiInvalidInput({ pointer: '#/limit', detail: 'limit must be an integer number' })
  async list(@Query() query: ListClientsQueryDto): Promise<ClientPageDto> {
    const page = await this.clients.list(listQuery(query));
    return { data: page.data.map(ClientDto.from), next_cursor: page.nextCursor };
  }

  @Get(':client_id')
  @ApiOperation({ summary: 'Get a client' })
  @ApiParam({ name: 'client_id' })
  @ApiOkResponse({ type: ClientDto })
  @ApiClientNotFound()
  async get(@Param('client_id') clientId: string): Promise<ClientDto> {
    return ClientDto.from(await this.clients.get(clientId));
  }

  @Patch(':client_id')
  @ApiOperation({
    summary: 'Change some of a client’s fields, e.g. {"status": "disabled"}',
    description: 'Disabling a client also revokes the access tokens it holds.',
  })
  @ApiParam({ name: 'client_id' })
  @ApiOkResponse({ type: ClientDto })
  @ApiInvalidInput(
    { pointer: '#/status', detail: 'status must be one of the following values: active, disabled' },
    { body: true },
  )
  @ApiClientNotFound()
  async update(
    @Param('client_id') clientId: string,
    @Body() body: UpdateClientDto,
    @AdminContext() context: M2mCallContext,
  ): Promise<ClientDto> {
    return ClientDto.from(await this.clients.update(clientId, updateInput(body), context));
  }

  @Delete(':client_id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a client and revoke its access tokens' })
  @ApiParam({ name: 'client_id' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiClientNotFound()
  async delete(
    @Param('client_id') clientId: string,
    @AdminContext() context: M2mCallContext,
  ): Promise<void> {
    await this.clients.delete(clientId, context);
  }

  @Post(':client_id/secrets/rotation')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary:
      'Start a secret rotation: a second secret, shown once; both authenticate until complete',
  })
  @ApiParam({ name: 'client_id' })
  @ApiCreatedResponse({ type: RotationStartedDto, headers: SECRET_HEADERS })
  @ApiInvalidInput(
    { pointer: '#/grace_seconds', detail: 'grace_seconds must not be less than 0' },
    { body: true },
  )
  @ApiClientNotFound()
  @ApiStateConflict(
    'Disabled client, a rotation already in progress, or a client without a secret.',
    ClientStateError.disabled(EXAMPLE_CLIENT_ID),
    ClientStateError.rotationInProgress(EXAMPLE_CLIENT_ID),
    ClientStateError.noSecret(EXAMPLE_CLIENT_ID),
  )
  async startRotation(
    @Param('client_id') clientId: string,
    @Body() body: StartRotationDto,
    @AdminContext() context: M2mCallContext,
  ): Promise<RotationStartedDto> {
    const started = await this.secrets.startRotation(
      clientId,
      body.grace_seconds === undefined ? {} : { graceSeconds: body.grace_seconds },
      context,
    );
    return RotationStartedDto.fromStarted(started);
  }

  @Post(':client_id/secrets/rotation/complete')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Complete the rotation: the next secret becomes current, the old one and its tokens stop working',
  })
  @ApiParam({ name: 'client_id' })
  @ApiOkResponse({ type: ClientDto })
  @ApiClientNotFound()
  @ApiStateConflict('No rotation in progress.', ClientStateError.noRotation(EXAMPLE_CLIENT_ID))
  async completeRotation(
    @Param('client_id') clientId: string,
    @AdminContext() context: M2mCallContext,
  ): Promise<ClientDto> {
    return ClientDto.from(await this.secrets.completeRotation(clientId, context));
  }

  @Post(':client_id/secrets/rotation/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel the rotation: the next secret is discarded' })
  @ApiParam({ name: 'client_id' })
  @ApiOkResponse({ type: ClientDto })
  @ApiClientNotFound()
  @ApiStateConflict('No rotation in progress.', ClientStateError.noRotation(EXAMPLE_CLIENT_ID))
  async cancelRotation(
    @Param('client_id') clientId: string,
    @AdminContext() context: M2mCallContext,
  ): Promise<ClientDto> {
    return ClientDto.from(await this.secrets.cancelRotation(clientId, context));
  }
}
