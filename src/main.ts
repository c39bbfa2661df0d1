import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap.js';
import { loadConfig, type AppConfig } from './config.js';
import { ServerLogger, startupProblem } from './startup.js';

async function main(): Promise<void> {
  const logger = new Logger('M2mServer');
  let config: AppConfig | undefined;
  try {
    config = loadConfig(process.env, (message) => logger.warn(message));
    const app = await createApp(config, { logger: new ServerLogger() });
    if (config.host === undefined) await app.listen(config.port);
    else await app.listen(config.port, config.host);
    logger.log(
      `Authorization server ${config.issuer} listening on ${await app.getUrl()} (${config.httpAdapter})`,
    );
    logger.log(
      `Metadata: ${config.issuer}/.well-known/oauth-authorization-server · API docs: ${config.issuer}/docs`,
    );
  } catch (error) {
    // What the operator can fix is one line naming the variable; anything else is a bug and
    // keeps its stack trace.
    const problem = startupProblem(error, config);
    console.error(problem === undefined ? error : `Cannot start: ${problem}`);
    process.exit(1);
  }
}

void main();
