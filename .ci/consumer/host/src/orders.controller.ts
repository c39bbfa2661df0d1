import { Controller, Get } from '@nestjs/common';
import { M2mClient, RequireScopes, type M2mPrincipal } from 'nestjs-m2m';

/** The host's own API, protected by the module's guard. */
@Controller('orders')
export class OrdersController {
  @Get()
  @RequireScopes('orders:read')
  list(@M2mClient() client: M2mPrincipal): { orders: string[]; client_id: string } {
    return { orders: ['o-1', 'o-2'], client_id: client.clientId };
  }
}
