import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { configureM2mHttp, describeM2mStartupError, m2mFastifyFrameworkErrors } from 'nestjs-m2m';
import { AppModule } from './app.module.js';

async function main(): Promise<void> {
  const port = Number(process.env['PORT'] ?? 3000);
  const app =
    process.env['HTTP_ADAPTER'] === 'fastify'
      ? await NestFactory.create(
          AppModule,
          new FastifyAdapter({
            frameworkErrors: m2mFastifyFrameworkErrors,
            routerOptions: { ignoreTrailingSlash: true },
          }),
          { bodyParser: false, abortOnError: false },
        )
      : await NestFactory.create(AppModule, { bodyParser: false, abortOnError: false });
  configureM2mHttp(app);
  await app.listen(port, '127.0.0.1');
  console.log(`host listening on ${port} (${app.getHttpAdapter().getType()})`);
}

main().catch((error: unknown) => {
  const line = describeM2mStartupError(error, {
    keyEncryptionKey: 'M2M_KEY_ENCRYPTION_KEY',
    database: 'DATABASE_URL',
  });
  console.error(line === undefined ? error : `Cannot start: ${line}`);
  process.exit(1);
});
