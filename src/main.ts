import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap.js';
import { ConfigError, loadConfig } from './config.js';

async function main(): Promise<void> {
  const logger = new Logger('M2mServer');
  const config = loadConfig(process.env, (message) => logger.warn(message));
  const app = await createApp(config);
  if (config.host === undefined) await app.listen(config.port);
  else await app.listen(config.port, config.host);
  logger.log(`Authorization server ${config.issuer} listening on ${await app.getUrl()}`);
  logger.log(
    `Metadata: ${config.issuer}/.well-known/oauth-authorization-server · API docs: ${config.issuer}/docs`,
  );
}

main().catch((error: unknown) => {
  // Configuration errors are the operator's to fix: print the message, not a stack trace.
  const known =
    error instanceof ConfigError ||
    (error instanceof Error && error.name === 'M2mConfigurationError');
  console.error(known ? `Cannot start: ${(error as Error).message}` : error);
  process.exit(1);
});
