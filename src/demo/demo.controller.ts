import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { M2mClient, RequireScopes, type M2mPrincipal } from 'nestjs-m2m';

/** A protected demo API: how a host application uses the guard and decorators. */
@ApiTags('Demo API')
@Controller('demo')
export class DemoController {
  @Get('public')
  @ApiOperation({ summary: 'An unguarded route beside the guarded ones (no token needed)' })
  @ApiOkResponse({ description: '{ status }' })
  public(): { status: string } {
    return { status: 'ok' };
  }

  @Get('whoami')
  @RequireScopes()
  @ApiOperation({ summary: 'The calling client (any valid token)' })
  @ApiOkResponse({ description: '{ client_id, scopes }' })
  whoami(@M2mClient() client: M2mPrincipal): { client_id: string; scopes: string[] } {
    return { client_id: client.clientId, scopes: client.scopes };
  }

  @Get('reports')
  @RequireScopes('reports:read')
  @ApiOperation({ summary: 'List reports (reports:read)' })
  reports(@M2mClient('clientId') clientId: string): { data: object[]; requested_by: string } {
    return {
      data: [{ id: 'r-2026-11', title: 'November usage', status: 'final' }],
      requested_by: clientId,
    };
  }

  @Post('reports')
  @HttpCode(202)
  @RequireScopes('reports:write')
  @ApiOperation({ summary: 'Queue a report (reports:write)' })
  createReport(
    @M2mClient('clientId') clientId: string,
    @Body() body: unknown,
  ): { status: string; requested_by: string; title: string | null } {
    const title =
      typeof body === 'object' &&
      body !== null &&
      typeof (body as { title?: unknown }).title === 'string'
        ? (body as { title: string }).title.slice(0, 200)
        : null;
    return { status: 'queued', requested_by: clientId, title };
  }
}
