import { Module, type DynamicModule } from '@nestjs/common';
import { M2mModule, type M2mResourceServerOptions } from 'nestjs-m2m';
import { OrdersController } from './orders.controller.js';

/** The example resource server: verifies the authorization server's tokens, no database. */
@Module({})
export class ResourceServerModule {
  static forRoot(options: M2mResourceServerOptions): DynamicModule {
    return {
      module: ResourceServerModule,
      imports: [M2mModule.forResourceServer({ ...options, isGlobal: true })],
      controllers: [OrdersController],
    };
  }
}

/** Configuration of the example resource server, from the environment. */
export function resourceServerOptions(
  env: NodeJS.ProcessEnv = process.env,
): M2mResourceServerOptions & { port: number } {
  const issuer = env['M2M_ISSUER'] || 'http://localhost:3000';
  return {
    port: Number(env['PORT'] || 3001),
    issuer,
    audience: env['M2M_AUDIENCE'] || issuer,
    ...(env['M2M_JWKS_URI'] ? { jwksUri: env['M2M_JWKS_URI'] } : {}),
  };
}
