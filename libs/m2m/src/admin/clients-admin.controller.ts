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
  UseFilters,
  UseGuards,
  UsePipes,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { HttpAdapterHost } from '@nestjs/core';
import { ClientsService } from '../clients/clients.service.js';
import type { M2mUpdateClientInput } from '../clients/client.model.js';
import { ProblemDetailsFilter } from '../errors/problem-details.filter.js';
import { AdminAccessGuard } from '../guards/admin-access.guard.js';
import { M2M_ADMIN_SCOPE, M2M_SECURITY_SCHEME } from '../m2m.constants.js';
import { adminValidationPipe } from './admin-validation.pipe.js';
import {
  ClientDto,
  ClientPageDto,
  CreateClientDto,
  CreatedClientDto,
  ListClientsQueryDto,
  ProblemDetailsDto,
  UpdateClientDto,
} from './client.dto.js';

function toDate(value: string | null | undefined): Date | null | undefined {
  return value == null ? value : new Date(value);
}

/** Admin REST API of the client registry. Errors are RFC 9457 problem details. */
@ApiTags('M2M clients')
@ApiSecurity(M2M_SECURITY_SCHEME, [M2M_ADMIN_SCOPE])
@ApiUnauthorizedResponse({
  description: 'Missing or invalid access token.',
  type: ProblemDetailsDto,
})
@ApiForbiddenResponse({
  description: `The token lacks the ${M2M_ADMIN_SCOPE} scope.`,
  type: ProblemDetailsDto,
})
@Controller('m2m/clients')
@UseGuards(AdminAccessGuard)
@UseFilters(ProblemDetailsFilter)
@UsePipes(adminValidationPipe())
export class ClientsAdminController {
  constructor(
    private readonly clients: ClientsService,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  @Post()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Create a client; the response is the only one with its secret' })
  @ApiCreatedResponse({ type: CreatedClientDto })
  @ApiBadRequestResponse({ type: ProblemDetailsDto })
  async create(
    @Body() body: CreateClientDto,
    @Res({ passthrough: true }) response: object,
  ): Promise<CreatedClientDto> {
    const created = await this.clients.create({
      clientName: body.client_name,
      scopes: body.scopes,
      ...(body.description === undefined ? {} : { description: body.description }),
      ...(body.metadata === undefined ? {} : { metadata: body.metadata }),
      ...(body.expires_at === undefined ? {} : { expiresAt: toDate(body.expires_at) ?? null }),
    });
    this.adapterHost.httpAdapter.setHeader(
      response,
      'Location',
      `/m2m/clients/${encodeURIComponent(created.clientId)}`,
    );
    return CreatedClientDto.fromCreated(created);
  }

  @Get()
  @ApiOperation({ summary: 'List clients, newest first, with cursor pagination' })
  @ApiOkResponse({ type: ClientPageDto })
  @ApiBadRequestResponse({ type: ProblemDetailsDto })
  async list(@Query() query: ListClientsQueryDto): Promise<ClientPageDto> {
    const page = await this.clients.list({
      ...(query.limit === undefined ? {} : { limit: query.limit }),
      ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
      ...(query.status === undefined ? {} : { status: query.status }),
    });
    return { data: page.data.map(ClientDto.from), next_cursor: page.nextCursor };
  }

  @Get(':client_id')
  @ApiOperation({ summary: 'Get a client' })
  @ApiParam({ name: 'client_id' })
  @ApiOkResponse({ type: ClientDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  async get(@Param('client_id') clientId: string): Promise<ClientDto> {
    return ClientDto.from(await this.clients.get(clientId));
  }

  @Patch(':client_id')
  @ApiOperation({ summary: 'Change some of a client’s fields, e.g. {"status": "disabled"}' })
  @ApiParam({ name: 'client_id' })
  @ApiOkResponse({ type: ClientDto })
  @ApiBadRequestResponse({ type: ProblemDetailsDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  async update(
    @Param('client_id') clientId: string,
    @Body() body: UpdateClientDto,
  ): Promise<ClientDto> {
    const input: M2mUpdateClientInput = {};
    if (body.client_name !== undefined) input.clientName = body.client_name;
    if (body.description !== undefined) input.description = body.description;
    if (body.scopes !== undefined) input.scopes = body.scopes;
    if (body.metadata !== undefined) input.metadata = body.metadata;
    if (body.status !== undefined) input.status = body.status;
    if (body.expires_at !== undefined) input.expiresAt = toDate(body.expires_at) ?? null;
    return ClientDto.from(await this.clients.update(clientId, input));
  }

  @Delete(':client_id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a client' })
  @ApiParam({ name: 'client_id' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  async delete(@Param('client_id') clientId: string): Promise<void> {
    await this.clients.delete(clientId);
  }
}
