import 'reflect-metadata';
import type { INestApplication, LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import {
  M2M_SECURITY_SCHEME,
  m2mBodyParserErrorHandler,
  m2mSecurityScheme,
  type M2mModuleOptions,
} from '#m2m';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config.js';

/** Largest request body accepted; token and admin requests are tiny. */
export const BODY_LIMIT = '16kb';

/** Options of {@link createApp}. */
export interface CreateAppOptions {
  logger?: LoggerService | LogLevel[] | false;
  /** M2M module options that override the configuration (tests use a low bcrypt cost). */
  m2m?: Partial<M2mModuleOptions>;
}

/** OpenAPI document with the OAuth 2.0 client credentials security scheme. */
export function setupSwagger(app: INestApplication, issuer: string): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('M2M authorization server')
      .setDescription(
        'OAuth 2.0 client credentials for machines: token endpoint, JWKS, metadata, admin API for clients, and a demo protected API.',
      )
      .setVersion('0.1.0')
      .addOAuth2(m2mSecurityScheme(issuer), M2M_SECURITY_SCHEME)
      .build(),
  );
  SwaggerModule.setup('docs', app, document, {
    swaggerOptions: { persistAuthorization: false },
  });
}

/** Creates the example server, initialised but not listening. */
export async function createApp(
  config: AppConfig,
  options: CreateAppOptions = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, options.m2m),
    { bodyParser: false, ...(options.logger === undefined ? {} : { logger: options.logger }) },
  );
  app.disable('x-powered-by');
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.useBodyParser('urlencoded', { limit: BODY_LIMIT, extended: true, parameterLimit: 100 });
  app.use(m2mBodyParserErrorHandler());
  setupSwagger(app, config.issuer);
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
