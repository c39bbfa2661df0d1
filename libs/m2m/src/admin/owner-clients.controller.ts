import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Query,
  UseFilters,
  UseGuards,
  UsePipes,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { ClientSecretsService } from '../clients/client-secrets.service.js';
import { ClientsService } from '../clients/clients.service.js';
import type { M2mCallContext } from '../domain/call-context.js';
import { M2M_OWNER_API_OPTIONS } from '../m2m.internal-constants.js';
import type { M2mOwnerApiOptions } from '../options/module-extras.js';
import { ClientStateError } from '../errors/admin.error.js';
import { ProblemDetailsFilter } from '../http/problem-details.filter.js';
import { OwnerAccessGuard } from '../guards/owner-access.guard.js';
import { OwnerId, ownerCallContext } from './owner-context.js';
import {
  ApiClientNotFound,
  ApiInvalidInput,
  ApiOwnerErrors,
  ApiStateConflict,
  EXAMPLE_CLIENT_ID,
  SECRET_HEADERS,
} from './admin-responses.decorator.js';
import { adminValidationPipe } from './admin-validation.pipe.js';
import { ListClientsQueryDto } from './client-query.dto.js';
import { CreateClientDto, StartRotationDto, UpdateClientDto } from './client-request.dto.js';
import {
  ClientDto,
  ClientPageDto,
  CreatedClientDto,
  RotationStartedDto,
} from './client-response.dto.js';
import { createInput, listQuery, updateInput } from './client-inputs.js';

/**
 * "Manage my own clients" for the host's users or tenants. Every call is confined to the
 * caller's owner id: another owner's client is "not found" (404, so ids cannot be probed), and
 * only the configured scopes can be granted.
 */
@ApiTags('M2M clients (owner self-service)')
@ApiOwnerErrors()
@Controller('m2m/owner/clients')
@UseGuards(OwnerAccessGuard)
@UseFilters(ProblemDetailsFilter)
@UsePipes(adminValidationPipe())
export class OwnerClientsController {
  constructor(
    private readonly clients: ClientsService,
    private readonly secrets: ClientSecretsService,
    @Inject(M2M_OWNER_API_OPTIONS) private readonly options: M2mOwnerApiOptions,
  ) {}

  private context(ownerId: string): M2mCallContext {
    return ownerCallContext(ownerId, this.options);
  }

  @Post()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Create one of my clients; the response is the only one with its secret',
  })
  @ApiCreatedResponse({ type: CreatedClientDto, headers: SECRET_HEADERS })
  @ApiInvalidInput(
    { pointer: '#/client_name', detail: 'client_name must be a string' },
    { body: true, owner: true },
  )
  async create(
    @OwnerId() ownerId: string,
    @Body() body: CreateClientDto,
  ): Promise<CreatedClientDto> {
    // The owner is the caller: a body owner_id is overridden by the context.
    return CreatedClientDto.fromCreated(
      await this.clients.create(createInput(body), this.context(ownerId)),
    );
  }

  @Get()
  @ApiOperation({ summary: 'List my clients' })
  @ApiOkResponse({ type: ClientPageDto })
  @ApiInvalidInput(
    { pointer: '#/limit', detail: 'limit must be an integer number' },
    { owner: true },
  )
  async list(
    @OwnerId() ownerId: string,
    @Query() query: ListClientsQueryDto,
  ): Promise<ClientPageDto> {
    const page = await this.clients.list(listQuery(query), this.context(ownerId));
    return { data: page.data.map(ClientDto.from), next_cursor: page.nextCursor };
  }

  @Get(':client_id')
  @ApiOperation({ summary: 'Get one of my clients' })
  @ApiParam({ name: 'client_id' })
  @ApiOkResponse({ type: ClientDto })
  @ApiClientNotFound()
  async get(@OwnerId() ownerId: string, @Param('client_id') clientId: string): Promise<ClientDto> {
    return ClientDto.from(await this.clients.get(clientId, this.context(ownerId)));
  }

  @Patch(':client_id')
  @ApiOperation({ summary: 'Change some of my client’s fields, e.g. {"status": "disabled"}' })
  @ApiParam({ name: 'client_id' })
  @ApiOkResponse({ type: ClientDto })
  @ApiInvalidInput(
    { pointer: '#/status', detail: 'status must be one of the following values: active, disabled' },
    { body: true, owner: true },
  )
  @ApiClientNotFound()
  async update(
    @OwnerId() ownerId: string,
    @Param('client_id') clientId: string,
    @Body() body: UpdateClientDto,
  ): Promise<ClientDto> {
    return ClientDto.from(
      await this.clients.update(clientId, updateInput(body), this.context(ownerId)),
    );
  }

  @Delete(':client_id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete one of my clients and revoke its access tokens' })
  @ApiParam({ name: 'client_id' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiClientNotFound()
  async delete(@OwnerId() ownerId: string, @Param('client_id') clientId: string): Promise<void> {
    await this.clients.delete(clientId, this.context(ownerId));
  }

  @Post(':client_id/secrets/rotation')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Start a secret rotation of my client; the next secret is shown once' })
  @ApiParam({ name: 'client_id' })
  @ApiCreatedResponse({ type: RotationStartedDto, headers: SECRET_HEADERS })
  @ApiInvalidInput(
    { pointer: '#/grace_seconds', detail: 'grace_seconds must not be less than 0' },
    { body: true, owner: true },
  )
  @ApiClientNotFound()
  @ApiStateConflict(
    'Disabled client, a rotation already in progress, or a client without a secret.',
    ClientStateError.disabled(EXAMPLE_CLIENT_ID),
    ClientStateError.rotationInProgress(EXAMPLE_CLIENT_ID),
    ClientStateError.noSecret(EXAMPLE_CLIENT_ID),
  )
  async startRotation(
    @OwnerId() ownerId: string,
    @Param('client_id') clientId: string,
    @Body() body: StartRotationDto,
  ): Promise<RotationStartedDto> {
    return RotationStartedDto.fromStarted(
      await this.secrets.startRotation(
        clientId,
        body.grace_seconds === undefined ? {} : { graceSeconds: body.grace_seconds },
        this.context(ownerId),
      ),
    );
  }

  @Post(':client_id/secrets/rotation/complete')
  @HttpCode(200)
  @ApiOperation({ summary: 'Complete the rotation: the next secret becomes current' })
  @ApiParam({ name: 'client_id' })
  @ApiOkResponse({ type: ClientDto })
  @ApiClientNotFound()
  @ApiStateConflict('No rotation in progress.', ClientStateError.noRotation(EXAMPLE_CLIENT_ID))
  async completeRotation(
    @OwnerId() ownerId: string,
    @Param('client_id') clientId: string,
  ): Promise<ClientDto> {
    return ClientDto.from(await this.secrets.completeRotation(clientId, this.context(ownerId)));
  }

  @Post(':client_id/secrets/rotation/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel the rotation: the next secret is discarded' })
  @ApiParam({ name: 'client_id' })
  @ApiOkResponse({ type: ClientDto })
  @ApiClientNotFound()
  @ApiStateConflict('No rotation in progress.', ClientStateError.noRotation(EXAMPLE_CLIENT_ID))
  async cancelRotation(
    @OwnerId() ownerId: string,
    @Param('client_id') clientId: string,
  ): Promise<ClientDto> {
    return ClientDto.from(await this.secrets.cancelRotation(clientId, this.context(ownerId)));
  }
}
