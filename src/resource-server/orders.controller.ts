import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { M2mClient, RequireScopes, type M2mPrincipal } from 'nestjs-m2m';

/** A small protected API served by a separate process that only verifies tokens. */
@ApiTags('Orders (resource server)')
@Controller('orders')
export class OrdersController {
  @Get()
  @RequireScopes('orders:read')
  @ApiOperation({ summary: 'List orders (orders:read)' })
  list(@M2mClient() client: M2mPrincipal): {
    data: object[];
    client_id: string;
    owner_id: string | null;
  } {
    return {
      data: [{ id: 'o-1001', total: 4200, currency: 'EUR' }],
      client_id: client.clientId,
      owner_id: client.ownerId,
    };
  }

  @Post()
  @HttpCode(202)
  @RequireScopes('orders:write')
  @ApiOperation({ summary: 'Place an order (orders:write)' })
  create(
    @M2mClient('clientId') clientId: string,
    @Body() _body: unknown,
  ): { status: string; client_id: string } {
    return { status: 'accepted', client_id: clientId };
  }
}
