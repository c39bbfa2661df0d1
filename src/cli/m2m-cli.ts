import 'reflect-metadata';
import { ConsoleLogger, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import {
  ClientNotFoundError,
  ClientsService,
  ClientValidationError,
  type M2mClientStatus,
  type M2mClientView,
} from '#m2m';
import { AppModule } from '../app.module.js';
import { loadConfig } from '../config.js';

const USAGE = `Usage: npm run --silent m2m -- <command> [options]

Commands:
  clients create --name NAME --scopes "a b" [--description TEXT] [--expires-at ISO-8601] [--json]
  clients list [--limit N] [--cursor CURSOR] [--status active|disabled] [--json]
  clients get CLIENT_ID [--json]
  clients delete CLIENT_ID

The CLI uses the same environment as the server (DATABASE_URL, M2M_KEY_ENCRYPTION_KEY, …).
With --json, stdout carries exactly one JSON object; logs go to stderr.`;

/** Where the CLI writes; injectable for tests. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

const processIo: CliIo = {
  out: (text) => process.stdout.write(text + '\n'),
  err: (text) => process.stderr.write(text + '\n'),
};

/** Every log line goes to stderr, so that stdout stays machine-readable. */
class StderrLogger extends ConsoleLogger {
  protected override printMessages(
    messages: unknown[],
    context?: string,
    logLevel?: Parameters<ConsoleLogger['printMessages']>[2],
  ): void {
    super.printMessages(messages, context, logLevel, 'stderr');
  }
}

class UsageError extends Error {}

/** node:util parseArgs rejects unknown options and missing values with ERR_PARSE_ARGS_* codes. */
function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

function clientJson(client: M2mClientView): Record<string, unknown> {
  return {
    client_id: client.clientId,
    client_name: client.clientName,
    description: client.description,
    scopes: client.scopes,
    metadata: client.metadata,
    status: client.status,
    secret_hint: client.secretHint,
    expires_at: client.expiresAt?.toISOString() ?? null,
    created_at: client.createdAt.toISOString(),
    updated_at: client.updatedAt.toISOString(),
  };
}

function clientLine(client: M2mClientView): string {
  const expiry =
    client.expiresAt === null ? 'never expires' : `expires ${client.expiresAt.toISOString()}`;
  return `${client.clientId}  ${client.status.padEnd(8)}  ${client.clientName}  [${client.scopes.join(' ')}]  …${client.secretHint}  ${expiry}`;
}

function parseExpiry(value: string | undefined): Date | null | undefined {
  if (value === undefined) return undefined;
  if (value === 'never') return null;
  const date = new Date(value);
  if (Number.isNaN(date.getTime()))
    throw new UsageError(`--expires-at must be an ISO 8601 date-time or "never"; got "${value}".`);
  return date;
}

async function run(args: string[], clients: ClientsService, io: CliIo): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      name: { type: 'string' },
      scopes: { type: 'string' },
      description: { type: 'string' },
      'expires-at': { type: 'string' },
      limit: { type: 'string' },
      cursor: { type: 'string' },
      status: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const [group, command, id, ...rest] = positionals;
  if (group !== 'clients' || rest.length > 0) throw new UsageError(USAGE);
  const print = (json: object, human: string) => io.out(values.json ? JSON.stringify(json) : human);

  switch (command) {
    case 'create': {
      if (values.name === undefined) throw new UsageError('clients create needs --name NAME.');
      const expiresAt = parseExpiry(values['expires-at']);
      const created = await clients.create({
        clientName: values.name,
        scopes: (values.scopes ?? '').split(' ').filter((s) => s !== ''),
        ...(values.description === undefined ? {} : { description: values.description }),
        ...(expiresAt === undefined ? {} : { expiresAt }),
      });
      print(
        { ...clientJson(created), client_secret: created.clientSecret },
        `${clientLine(created)}\nclient_id:     ${created.clientId}\nclient_secret: ${created.clientSecret}\nThe secret is shown only once: store it now.`,
      );
      return;
    }
    case 'list': {
      const page = await clients.list({
        ...(values.limit === undefined ? {} : { limit: Number(values.limit) }),
        ...(values.cursor === undefined ? {} : { cursor: values.cursor }),
        ...(values.status === undefined ? {} : { status: values.status as M2mClientStatus }),
      });
      print(
        { data: page.data.map(clientJson), next_cursor: page.nextCursor },
        [
          ...page.data.map(clientLine),
          ...(page.nextCursor ? [`next page: --cursor ${page.nextCursor}`] : []),
        ].join('\n') || 'No clients.',
      );
      return;
    }
    case 'get': {
      if (id === undefined) throw new UsageError('clients get needs a CLIENT_ID.');
      const client = await clients.get(id);
      print(clientJson(client), clientLine(client));
      return;
    }
    case 'delete': {
      if (id === undefined) throw new UsageError('clients delete needs a CLIENT_ID.');
      await clients.delete(id);
      print({ deleted: id }, `Deleted ${id}.`);
      return;
    }
    default:
      throw new UsageError(USAGE);
  }
}

/** Runs the CLI; returns the exit code (0 ok, 1 failure, 2 usage or invalid input). */
export async function runCli(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  io: CliIo = processIo,
): Promise<number> {
  if (args.length === 0 || args.includes('--help') || args.includes('-h')) {
    io.out(USAGE);
    return args.length === 0 ? 2 : 0;
  }
  let app: INestApplicationContext | undefined;
  try {
    const logger = new StderrLogger('m2m', { logLevels: ['error', 'warn'] });
    const config = loadConfig(env, (message) => logger.warn(message));
    app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger });
    await run(args, app.get(ClientsService), io);
    return 0;
  } catch (error) {
    if (error instanceof ClientValidationError) {
      io.err(
        `Invalid input:\n${error.errors.map((e) => `  ${e.pointer.slice(2)}: ${e.detail}`).join('\n')}`,
      );
      return 2;
    }
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.err((error as Error).message);
      return 2;
    }
    if (error instanceof ClientNotFoundError) {
      io.err(error.message);
      return 1;
    }
    io.err(`m2m: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await app?.close();
  }
}
