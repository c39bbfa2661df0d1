import {
  Body,
  Controller,
  createParamDecorator,
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
  type ExecutionContext,
} from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { ClientSecretsService } from '../clients/client-secrets.service.js';
import { ClientsService } from '../clients/clients.service.js';
import type { M2mCallContext } from '../clients/client.model.js';
import { M2M_OWNER_API_OPTIONS } from '../m2m.internal-constants.js';
import type { M2mOwnerApiOptions } from '../m2m-options.js';
import { ProblemDetailsFilter } from '../errors/problem-details.filter.js';
import { OwnerAccessGuard, ownerIdOf } from '../guards/owner-access.guard.js';
import { adminValidationPipe } from './admin-validation.pipe.js';
import {
  ClientDto,
  ClientPageDto,
  CreateClientDto,
  CreatedClientDto,
  ListClientsQueryDto,
  ProblemDetailsDto,
  RotationStartedDto,
  StartRotationDto,
  UpdateClientDto,
} from './client.dto.js';
import { createInput, listQuery, updateInput } from './client-requests.js';

/** The owner the host's guard identified (the guard guarantees there is one). */
const OwnerId = createParamDecorator((_data: unknown, context: ExecutionContext): string =>
  ownerIdOf(context.switchToHttp().getRequest<Record<string, unknown>>())!,
);

/**
 * "Manage my own clients" for the host's users or tenants. Every call is confined to the
 * caller's owner id: another owner's client is "not found" (404, so ids cannot be probed), and
 * only the configured scopes can be granted.
 */
@ApiTags('M2M clients (owner self-service)')
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
    return {
      actor: { type: 'owner', id: ownerId },
      ownerId,
      allowedScopes: this.options.scopes,
      allowedAudiences: this.options.audiences ?? [],
    };
  }

  @Post()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Create one of my clients; the response is the only one with its secret',
  })
  @ApiCreatedResponse({ type: CreatedClientDto })
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
  async list(
    @OwnerId() ownerId: string,
    @Query() query: ListClientsQueryDto,
  ): Promise<ClientPageDto> {
    const page = await this.clients.list(listQuery(query), this.context(ownerId));
    return { data: page.data.map(ClientDto.from), next_cursor: page.nextCursor };
  }

  @Get(':client_id')
  @ApiParam({ name: 'client_id' })
  @ApiOkResponse({ type: ClientDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  async get(@OwnerId() ownerId: string, @Param('client_id') clientId: string): Promise<ClientDto> {
    return ClientDto.from(await this.clients.get(clientId, this.context(ownerId)));
  }

  @Patch(':client_id')
  @ApiParam({ name: 'client_id' })
  @ApiOkResponse({ type: ClientDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
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
  @ApiParam({ name: 'client_id' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  async delete(@OwnerId() ownerId: string, @Param('client_id') clientId: string): Promise<void> {
    await this.clients.delete(clientId, this.context(ownerId));
  }

  @Post(':client_id/secrets/rotation')
  @Header('Cache-Control', 'no-store')
  @ApiParam({ name: 'client_id' })
  @ApiCreatedResponse({ type: RotationStartedDto })
  @ApiConflictResponse({ type: ProblemDetailsDto })
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
  @ApiParam({ name: 'client_id' })
  @ApiOkResponse({ type: ClientDto })
  @ApiConflictResponse({ type: ProblemDetailsDto })
  async completeRotation(
    @OwnerId() ownerId: string,
    @Param('client_id') clientId: string,
  ): Promise<ClientDto> {
    return ClientDto.from(await this.secrets.completeRotation(clientId, this.context(ownerId)));
  }

  @Post(':client_id/secrets/rotation/cancel')
  @HttpCode(200)
  @ApiParam({ name: 'client_id' })
  @ApiOkResponse({ type: ClientDto })
  @ApiConflictResponse({ type: ProblemDetailsDto })
  async cancelRotation(
    @OwnerId() ownerId: string,
    @Param('client_id') clientId: string,
  ): Promise<ClientDto> {
    return ClientDto.from(await this.secrets.cancelRotation(clientId, this.context(ownerId)));
  }
}
