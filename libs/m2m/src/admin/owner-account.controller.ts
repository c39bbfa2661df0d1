import {
  Controller,
  Get,
  Inject,
  Param,
  Query,
  UseFilters,
  UseGuards,
  UsePipes,
} from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AuditLog } from '../audit/audit-log.service.js';
import { ClientsService } from '../clients/clients.service.js';
import { ProblemDetailsFilter } from '../http/problem-details.filter.js';
import { OwnerAccessGuard } from '../guards/owner-access.guard.js';
import { M2M_OWNER_API_OPTIONS } from '../m2m.internal-constants.js';
import type { M2mOwnerApiOptions } from '../options/module-extras.js';
import { ApiClientNotFound, ApiInvalidInput, ApiOwnerErrors } from './admin-responses.decorator.js';
import { adminValidationPipe } from './admin-validation.pipe.js';
import { AuditEventDto, AuditPageDto, OwnerAuditQueryDto } from './audit.dto.js';
import { OwnerId, ownerCallContext } from './owner-context.js';
import { OwnerPolicyDto } from './owner-policy.dto.js';

/**
 * The rest of "manage my own clients": what an owner may grant, and what happened to each of
 * its clients. Confined to the caller's owner id like the owner API's client routes.
 */
@ApiTags('M2M clients (owner self-service)')
@ApiOwnerErrors()
@Controller('m2m/owner')
@UseGuards(OwnerAccessGuard)
@UseFilters(ProblemDetailsFilter)
@UsePipes(adminValidationPipe())
export class OwnerAccountController {
  constructor(
    private readonly clients: ClientsService,
    private readonly audit: AuditLog,
    @Inject(M2M_OWNER_API_OPTIONS) private readonly options: M2mOwnerApiOptions,
  ) {}

  @Get('policy')
  @ApiOperation({ summary: 'The scopes and audiences I may give my clients' })
  @ApiOkResponse({ type: OwnerPolicyDto })
  policy(): OwnerPolicyDto {
    return { scopes: [...this.options.scopes], audiences: [...(this.options.audiences ?? [])] };
  }

  @Get('clients/:client_id/audit-events')
  @ApiOperation({ summary: 'Audit events of one of my clients, newest first' })
  @ApiParam({ name: 'client_id' })
  @ApiOkResponse({ type: AuditPageDto })
  @ApiInvalidInput(
    { pointer: '#/limit', detail: 'limit must be an integer number' },
    { owner: true },
  )
  @ApiClientNotFound()
  async auditEvents(
    @OwnerId() ownerId: string,
    @Param('client_id') clientId: string,
    @Query() query: OwnerAuditQueryDto,
  ): Promise<AuditPageDto> {
    // 404 for another owner's client, as on every owner route.
    await this.clients.get(clientId, ownerCallContext(ownerId, this.options));
    const page = await this.audit.list({
      clientId,
      ...(query.limit === undefined ? {} : { limit: query.limit }),
      ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
    });
    return { data: page.data.map(AuditEventDto.forOwner), next_cursor: page.nextCursor };
  }
}
