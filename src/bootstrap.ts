import 'reflect-metadata';
import type { INestApplication, LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory, type AbstractHttpAdapter } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import {
  M2M_SECURITY_SCHEME,
  configureM2mHttp,
  m2mFastifyFrameworkErrors,
  m2mSecuritySchemeOf,
  type M2mModuleOptions,
} from 'nestjs-m2m';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config.js';

/** Largest request body accepted, in bytes; token and admin requests are tiny. */
export const BODY_LIMIT_BYTES = 16 * 1024;

/** Options of {@link createApp}. */
export interface CreateAppOptions {
  logger?: LoggerService | LogLevel[] | false;
  /** M2M module options that override the configuration (tests use a low bcrypt cost). */
  m2m?: Partial<M2mModuleOptions>;
}

/**
 * OpenAPI document at /docs-json and Swagger UI at /docs, with the OAuth 2.0 client credentials
 * security scheme and every scope the server knows.
 */
export function setupSwagger(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('M2M authorization server')
      .setDescription(
        'OAuth 2.0 client credentials for machines: token endpoint, JWKS, metadata, admin API for clients, and a demo protected API.',
      )
      .setVersion('0.1.0')
      .addOAuth2(m2mSecuritySchemeOf(app), M2M_SECURITY_SCHEME)
      .build(),
  );
  SwaggerModule.setup('docs', app, document, {
    swaggerOptions: { persistAuthorization: false },
  });
}

/** The HTTP platform named by `HTTP_ADAPTER`, with the body limit that platform applies first. */
function httpAdapter(config: AppConfig): AbstractHttpAdapter {
  if (config.httpAdapter === 'fastify') {
    // Behind a proxy, set `trustProxy` so that `request.ip` is the caller's address.
    return new FastifyAdapter({
      bodyLimit: BODY_LIMIT_BYTES,
      // Paths that are not valid percent-encoding get the module's answers on its routes.
      frameworkErrors: m2mFastifyFrameworkErrors,
      // As on Express: /oauth2/token/ is /oauth2/token.
      routerOptions: { ignoreTrailingSlash: true },
    });
  }
  const adapter = new ExpressAdapter();
  adapter.getInstance().disable('x-powered-by');
  return adapter;
}

/** Creates the example server on Express or Fastify (`HTTP_ADAPTER`), initialised but not listening. */
export async function createApp(
  config: AppConfig,
  options: CreateAppOptions = {},
): Promise<INestApplication> {
  const app = await NestFactory.create(
    AppModule.forRoot(config, options.m2m),
    httpAdapter(config),
    {
      bodyParser: false,
      // A failure to start is reported by the caller, as one line (see main.ts).
      abortOnError: false,
      ...(options.logger === undefined ? {} : { logger: options.logger }),
    },
  );
  configureM2mHttp(app, { bodyLimit: BODY_LIMIT_BYTES, parameterLimit: 100 });
  setupSwagger(app);
  app.enableShutdownHooks();
  try {
    await app.init();
  } catch (error) {
    // Release what did start (database connections) before reporting the failure.
    await app.close().catch(() => undefined);
    throw error;
  }
  return app;
}
