import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AuditLog } from '../audit/audit-log.service.js';
import { AdminApi } from './admin-api.decorator.js';
import { ApiInvalidInput } from './admin-responses.decorator.js';
import { AuditEventDto, AuditPageDto, AuditQueryDto } from './audit.dto.js';

/** Admin API: the audit log. */
@AdminApi('M2M audit and revocation')
@Controller('m2m')
export class AuditAdminController {
  constructor(private readonly audit: AuditLog) {}

  @Get('audit-events')
  @ApiOperation({
    summary: 'Audit events, newest first, with filters and cursor pagination',
    description:
      'token.issued and authentication.failed are written in batches, about a second after they happen.',
  })
  @ApiOkResponse({ type: AuditPageDto })
  @ApiInvalidInput({ pointer: '#/since', detail: 'since must be a valid ISO 8601 date string' })
  async list(@Query() query: AuditQueryDto): Promise<AuditPageDto> {
    const page = await this.audit.list({
      ...(query.limit === undefined ? {} : { limit: query.limit }),
      ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
      ...(query.type === undefined ? {} : { type: query.type }),
      ...(query.client_id === undefined ? {} : { clientId: query.client_id }),
      ...(query.owner_id === undefined ? {} : { ownerId: query.owner_id }),
      ...(query.actor_id === undefined ? {} : { actorId: query.actor_id }),
      ...(query.since === undefined ? {} : { since: new Date(query.since) }),
      ...(query.until === undefined ? {} : { until: new Date(query.until) }),
    });
    return { data: page.data.map(AuditEventDto.from), next_cursor: page.nextCursor };
  }
}
