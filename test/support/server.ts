import type { INestApplication, LoggerService } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import request from 'supertest';
import { ClientsService, type M2mCreatedClient, type M2mModuleOptions } from 'nestjs-m2m';
import { createApp } from '../../src/bootstrap.js';
import type { AppConfig, HttpAdapterName } from '../../src/config.js';
import { createTestDatabase, type TestDatabase } from './database.js';

/** Every log line of a test server, at every level, for the no-secrets-in-logs checks. */
export class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];

  private add(level: string, message: unknown, rest: unknown[]): void {
    this.lines.push(
      [level, message, ...rest]
        .map((part) =>
          part instanceof Error
            ? part.stack
            : typeof part === 'string'
              ? part
              : JSON.stringify(part),
        )
        .join(' '),
    );
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.add('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.add('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.add('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.add('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.add('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.add('fatal', message, rest);
  }
}

/** A running example server on a loopback port. */
export interface TestServer {
  app: INestApplication;
  /** Base URL, which is also the issuer. */
  url: string;
  config: AppConfig;
  database: TestDatabase;
  logger: CapturingLogger;
  /** supertest bound to the server. */
  http: () => ReturnType<typeof request>;
  clients: ClientsService;
  /** Stops the server; the database stays until `database.drop()`. */
  close(): Promise<void>;
}

export interface StartOptions {
  /** Reuse a database (e.g. to restart on the same data). A new one by default. */
  database?: TestDatabase;
  keyEncryptionKey?: string;
  m2m?: Partial<M2mModuleOptions>;
  /** Listen on this port (and so keep the issuer), e.g. to restart a server. */
  port?: number;
  /** Shared rate-limit state in Redis, as `REDIS_URL` gives it. */
  redisUrl?: string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        resolve(typeof address === 'object' && address !== null ? address.port : 0),
      );
    });
  });
}

/**
 * The HTTP platform the e2e suites run on: `M2M_TEST_HTTP_ADAPTER=fastify` runs them all on
 * Fastify (CI runs both).
 */
export function testHttpAdapter(): HttpAdapterName {
  const name = process.env['M2M_TEST_HTTP_ADAPTER'] || 'express';
  if (name !== 'express' && name !== 'fastify') {
    throw new Error(`M2M_TEST_HTTP_ADAPTER must be express or fastify; got "${name}"`);
  }
  return name;
}

/** A fixed test key-encryption secret. */
export const TEST_KEK = randomBytes(32).toString('base64');

/**
 * Boots the example server as `npm start` would (same module, body parsers, Swagger), on a
 * loopback port, with a cheap bcrypt cost, no failure budgets and no failure delay unless the
 * test asks for them.
 */
export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const database = options.database ?? (await createTestDatabase());
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const config: AppConfig = {
    port,
    host: '127.0.0.1',
    issuer: url,
    database: database.config,
    keyEncryptionKey: options.keyEncryptionKey ?? TEST_KEK,
    ...(options.redisUrl === undefined ? {} : { redisUrl: options.redisUrl }),
    production: false,
    httpAdapter: testHttpAdapter(),
  };
  const logger = new CapturingLogger();
  const app = await createApp(config, {
    logger,
    m2m: {
      bcryptCost: 4,
      rateLimit: false,
      // Suites about answers, not timing; the failure delay has tests of its own.
      secretVerification: { failureDelayMs: 0 },
      ...options.m2m,
    },
  });
  await app.listen(port, '127.0.0.1');
  return {
    app,
    url,
    config,
    database,
    logger,
    http: () => request(app.getHttpServer()),
    clients: app.get(ClientsService),
    close: () => app.close(),
  };
}

/** A created client that has a secret (every client but private_key_jwt ones). */
export type SecretClient = M2mCreatedClient & { clientSecret: string };

/** Narrows a created client to one with a secret. */
export function withSecret(created: M2mCreatedClient): SecretClient {
  if (created.clientSecret === null) throw new Error(`client ${created.clientId} has no secret`);
  return { ...created, clientSecret: created.clientSecret };
}

/** Registers a client directly through the service. */
export async function createClient(
  server: TestServer,
  scopes: string[],
  name = 'test-client',
): Promise<SecretClient> {
  return withSecret(await server.clients.create({ clientName: name, scopes }));
}

/** HTTP Basic credentials as RFC 6749 §2.3.1 wants them: each part form-urlencoded first. */
export function basic(clientId: string, secret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(secret)}`).toString('base64')}`;
}

/** A client credentials token request with client_secret_basic, as supertest sends it. */
export function tokenRequest(server: TestServer, clientId: string, secret: string, scope?: string) {
  return server
    .http()
    .post('/oauth2/token')
    .set('Authorization', basic(clientId, secret))
    .type('form')
    .send({ grant_type: 'client_credentials', ...(scope === undefined ? {} : { scope }) });
}

/** Obtains an access token with client_secret_basic. */
export async function getToken(
  server: TestServer,
  client: { clientId: string; clientSecret: string },
  scope?: string,
): Promise<string> {
  const response = await tokenRequest(server, client.clientId, client.clientSecret, scope);
  if (response.status !== 200) {
    throw new Error(`token request failed: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return (response.body as { access_token: string }).access_token;
}
