import { Controller, Get, Post } from '@nestjs/common';
import { MetadataScanner, Reflector } from '@nestjs/core';
import { RequireScopes } from '../decorators/require-scopes.decorator.js';
import {
  AdvertisedScopes,
  discoverAdvertisedScopes,
  discoverRequiredScopes,
} from './scope-discovery.js';

@Controller('orders')
@RequireScopes('orders:any')
class OrdersController {
  @Get()
  @RequireScopes('orders:read')
  list(): void {}

  @Post([':id/cancel', ':id/void'])
  @RequireScopes('orders:write', 'orders:read')
  cancel(): void {}

  /** Not a route handler: its scope is found, required by no route. */
  @RequireScopes('never:used')
  helper(): void {}
}

@Controller()
class RootController {
  @Get('/status/')
  @RequireScopes()
  status(): void {}

  @Get('open')
  open(): void {}
}

@Controller('console')
@AdvertisedScopes('console:use')
class ConsoleController {
  @Get()
  show(): void {}
}

const discover = (...controllers: object[]) =>
  discoverRequiredScopes(controllers, new MetadataScanner(), new Reflector());

describe('discoverRequiredScopes', () => {
  it('each scope with the routes that require it, class scopes on every route', () => {
    expect(Object.fromEntries(discover(new OrdersController(), new RootController()))).toEqual({
      'orders:any': ['GET /orders', 'POST /orders/:id/cancel', 'POST /orders/:id/void'],
      'orders:read': ['GET /orders', 'POST /orders/:id/cancel', 'POST /orders/:id/void'],
      'orders:write': ['POST /orders/:id/cancel', 'POST /orders/:id/void'],
      'never:used': [],
    });
  });

  it('finds nothing where no @RequireScopes() lists a scope', () => {
    expect(discover(new RootController()).size).toBe(0);
  });
});

describe('discoverAdvertisedScopes', () => {
  it('the scopes a mounted controller advertises, and none from its routes', () => {
    const controllers = [new ConsoleController(), new OrdersController()];
    expect(discoverAdvertisedScopes(controllers, new Reflector())).toEqual(['console:use']);
    expect(discover(new ConsoleController()).size).toBe(0);
  });
});
