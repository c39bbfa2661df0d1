import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ResourceServerModule, resourceServerOptions } from './resource-server.module.js';

/**
 * A second example app: an API in its own process that accepts the authorization server's
 * tokens. `M2M_ISSUER` (default http://localhost:3000), `M2M_AUDIENCE` (default the issuer),
 * `M2M_JWKS_URI` (default the issuer's), `PORT` (default 3001).
 */
async function main(): Promise<void> {
  const { port, ...options } = resourceServerOptions();
  const app = await NestFactory.create(ResourceServerModule.forRoot(options));
  app.enableShutdownHooks();
  await app.listen(port);
  new Logger('ResourceServer').log(
    `Orders API on ${await app.getUrl()}, trusting tokens of ${options.issuer}`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `Cannot start: ${error.message}` : error);
  process.exit(1);
});
