import { Module, type DynamicModule } from '@nestjs/common';
import { IsOptional, Matches } from 'class-validator';
import { M2mModule, type M2mResourceServerOptions } from 'nestjs-m2m';
import { IsIssuerUrl, IsPort, validateAgainst } from '../config.js';
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

/** The environment variables of the example resource server. Empty values count as unset. */
export class ResourceServerEnvironment {
  @IsOptional()
  @IsPort()
  PORT?: string;

  /** The authorization server whose tokens are accepted. */
  @IsOptional()
  @IsIssuerUrl()
  M2M_ISSUER?: string;

  /** The `aud` this API requires; an absolute URI (RFC 8707 §2). */
  @IsOptional()
  @Matches(/^[A-Za-z][A-Za-z0-9+.-]*:[^\s#]+$/, {
    message: ({ value }) =>
      `M2M_AUDIENCE must be an absolute URI without fragment (e.g. https://api.example.com); got "${String(value)}".`,
  })
  M2M_AUDIENCE?: string;

  /** Where the signing keys are fetched; the issuer's metadata names them by default. */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s#]+$/, {
    message: ({ value }) => `M2M_JWKS_URI must be an http(s) URL; got "${String(value)}".`,
  })
  M2M_JWKS_URI?: string;
}

/**
 * Configuration of the example resource server, from the environment validated against
 * {@link ResourceServerEnvironment}; a `ConfigError` names the variable at fault.
 */
export function resourceServerOptions(
  raw: NodeJS.ProcessEnv = process.env,
): M2mResourceServerOptions & { port: number } {
  const env = validateAgainst(ResourceServerEnvironment, raw);
  const issuer = env.M2M_ISSUER ?? 'http://localhost:3000';
  return {
    port: env.PORT === undefined ? 3001 : Number(env.PORT),
    issuer,
    audience: env.M2M_AUDIENCE ?? issuer,
    ...(env.M2M_JWKS_URI === undefined ? {} : { jwksUri: env.M2M_JWKS_URI }),
  };
}
