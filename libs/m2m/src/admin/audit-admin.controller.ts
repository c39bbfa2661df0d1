import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AuditLog } from '../audit/audit-log.service.js';
import type { M2mCallContext } from '../domain/call-context.js';
import { TokenRevocationService } from '../revocation/token-revocation.service.js';
import { AdminApi } from './admin-api.decorator.js';
import { AdminContext } from './admin-context.js';
import { ApiInvalidInput } from './admin-responses.decorator.js';
import { AuditEventDto, AuditPageDto, AuditQueryDto, RevokeTokenDto } from './audit.dto.js';

/** Admin API: the audit log, and revocation of single tokens. */
@AdminApi('M2M audit and revocation')
@Controller('m2m')
export class AuditAdminController {
  constructor(
    private readonly audit: AuditLog,
    private readonly revocations: TokenRevocationService,
  ) {}

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

  @Post('revocations')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Revoke one access token by its jti',
    description:
      'The guard of every instance rejects it: this one at once, the others within revocationRefreshMs.',
  })
  @ApiNoContentResponse({ description: 'Revoked (also when no such token was ever issued).' })
  @ApiInvalidInput(
    {
      pointer: '#/jti',
      detail: 'jti must be a token id (1 to 255 characters of A-Z a-z 0-9 _ -)',
    },
    { body: true },
  )
  async revoke(
    @Body() body: RevokeTokenDto,
    @AdminContext() context: M2mCallContext,
  ): Promise<void> {
    await this.revocations.revokeToken(body.jti, context);
  }
}
