import 'reflect-metadata';
import { ConsoleLogger, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import {
  AuditEventDto,
  AuditLog,
  ClientDto,
  ClientNotFoundError,
  ClientSecretsService,
  ClientsService,
  ClientStateError,
  ClientValidationError,
  CreatedClientDto,
  M2M_AUDIT_EVENT_TYPES,
  RotationStartedDto,
  SigningKeyDto,
  SigningKeyConflictError,
  SigningKeysService,
  TokenRevocationService,
  type M2mCallContext,
  type M2mClientStatus,
  type M2mClientView,
} from '#m2m';
import { AppModule } from '../app.module.js';
import { loadConfig } from '../config.js';

const USAGE = `Usage: npm run --silent m2m -- <command> [options]

Clients:
  clients create --name NAME --scopes "a b" [--audiences "uri …"] [--description TEXT] [--owner ID]
                 [--jwks-uri URL]          private_key_jwt: no secret, the client signs with its keys
                 [--expires-at ISO-8601|never] [--json]
  clients list [--limit N] [--cursor CURSOR] [--status active|disabled] [--owner ID]
               [--scope SCOPE] [--name-prefix TEXT] [--expiring-within-days N] [--json]
  clients get CLIENT_ID [--json]
  clients disable CLIENT_ID [--json]        revokes its access tokens too
  clients enable CLIENT_ID [--json]
  clients delete CLIENT_ID                  revokes its access tokens too

Secret rotation (both secrets work until complete):
  clients rotate start CLIENT_ID [--grace-seconds N] [--json]
  clients rotate complete CLIENT_ID [--json]
  clients rotate cancel CLIENT_ID [--json]

Signing keys:
  keys list [--json]
  keys rotate [--json]                      the published next key starts signing

Tokens and audit:
  tokens revoke JTI
  audit list [--client CLIENT_ID] [--type TYPE] [--owner ID] [--limit N] [--cursor C] [--json]

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

/**
 * Output that a terminal cannot be driven by: text from the database (names, descriptions,
 * metadata) could hold control characters. In human output each is shown as `\xNN` (line feeds
 * between lines stay); in JSON, DEL and C1 controls, which JSON.stringify leaves raw, become
 * `\u00NN`.
 */
export function terminalSafe(text: string, json: boolean): string {
  return json
    ? text.replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    : text.replace(
        // eslint-disable-next-line no-control-regex -- finding control characters is the point
        /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g,
        (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
      );
}

/** node:util parseArgs rejects unknown options and missing values with ERR_PARSE_ARGS_* codes. */
function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

const CLI: M2mCallContext = { actor: { type: 'cli', id: null } };
const DAY_MS = 24 * 3600 * 1000;

function clientLine(client: M2mClientView): string {
  const expiry =
    client.expiresAt === null ? 'never expires' : `expires ${client.expiresAt.toISOString()}`;
  const rotation = client.nextSecret === null ? '' : `  rotating → …${client.nextSecret.hint}`;
  return `${client.clientId}  ${client.status.padEnd(8)}  ${client.clientName}  [${client.scopes.join(' ')}]  …${client.secretHint}  ${expiry}${rotation}`;
}

function parseExpiry(value: string | undefined): Date | null | undefined {
  if (value === undefined) return undefined;
  if (value === 'never') return null;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new UsageError(`--expires-at must be an ISO 8601 date-time or "never"; got "${value}".`);
  }
  return date;
}

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value))
    throw new UsageError(`--${name} must be a whole number; got "${value}".`);
  return Number(value);
}

const OPTIONS = {
  name: { type: 'string' },
  scopes: { type: 'string' },
  audiences: { type: 'string' },
  'jwks-uri': { type: 'string' },
  description: { type: 'string' },
  owner: { type: 'string' },
  'expires-at': { type: 'string' },
  limit: { type: 'string' },
  cursor: { type: 'string' },
  status: { type: 'string' },
  scope: { type: 'string' },
  'name-prefix': { type: 'string' },
  'expiring-within-days': { type: 'string' },
  'grace-seconds': { type: 'string' },
  client: { type: 'string' },
  type: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

type Values = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>
>['values'];

class Commands {
  constructor(
    private readonly app: INestApplicationContext,
    private readonly values: Values,
    private readonly io: CliIo,
  ) {}

  private print(json: object, human: string): void {
    this.io.out(this.values.json ? JSON.stringify(json) : human);
  }

  private client(view: M2mClientView): void {
    this.print(ClientDto.from(view), clientLine(view));
  }

  private get clients(): ClientsService {
    return this.app.get(ClientsService);
  }

  async run(positionals: string[]): Promise<void> {
    const [group, command, ...rest] = positionals;
    const one = (what: string): string => {
      if (rest.length !== 1) throw new UsageError(`${group} ${command} needs exactly one ${what}.`);
      return rest[0]!;
    };
    switch (`${group} ${command}`) {
      case 'clients create':
        if (rest.length > 0) throw new UsageError(USAGE);
        return this.create();
      case 'clients list':
        if (rest.length > 0) throw new UsageError(USAGE);
        return this.list();
      case 'clients get':
        return this.client(await this.clients.get(one('CLIENT_ID')));
      case 'clients disable':
      case 'clients enable':
        return this.client(
          await this.clients.update(
            one('CLIENT_ID'),
            { status: command === 'disable' ? 'disabled' : 'active' },
            CLI,
          ),
        );
      case 'clients delete': {
        const id = one('CLIENT_ID');
        await this.clients.delete(id, CLI);
        return this.print({ deleted: id }, `Deleted ${id}.`);
      }
      case 'clients rotate':
        return this.rotate(rest);
      case 'tokens revoke': {
        const jti = one('JTI');
        await this.app.get(TokenRevocationService).revokeToken(jti, CLI);
        return this.print({ revoked: jti }, `Revoked token ${jti}.`);
      }
      case 'keys list':
      case 'keys rotate': {
        if (rest.length > 0) throw new UsageError(USAGE);
        const keys = this.app.get(SigningKeysService);
        const list = command === 'rotate' ? await keys.rotate(new Date(), CLI.actor) : keys.list();
        return this.print(
          { data: list.map(SigningKeyDto.from) },
          list
            .map(
              (k) =>
                `${k.kid}  ${k.alg}  ${k.status.padEnd(7)}  created ${k.createdAt.toISOString()}${k.expiresAt ? `  published until ${k.expiresAt.toISOString()}` : ''}`,
            )
            .join('\n'),
        );
      }
      case 'audit list':
        if (rest.length > 0) throw new UsageError(USAGE);
        return this.audit();
      default:
        throw new UsageError(USAGE);
    }
  }

  private async create(): Promise<void> {
    const v = this.values;
    if (v.name === undefined) throw new UsageError('clients create needs --name NAME.');
    const expiresAt = parseExpiry(v['expires-at']);
    const created = await this.clients.create(
      {
        clientName: v.name,
        scopes: (v.scopes ?? '').split(' ').filter((s) => s !== ''),
        ...(v.audiences === undefined
          ? {}
          : { audiences: v.audiences.split(' ').filter((a) => a !== '') }),
        ...(v.description === undefined ? {} : { description: v.description }),
        ...(v.owner === undefined ? {} : { ownerId: v.owner }),
        ...(v['jwks-uri'] === undefined
          ? {}
          : { authMethod: 'private_key_jwt' as const, jwksUri: v['jwks-uri'] }),
        ...(expiresAt === undefined ? {} : { expiresAt }),
      },
      CLI,
    );
    this.print(
      CreatedClientDto.fromCreated(created),
      created.clientSecret === null
        ? `${clientLine(created)}\nclient_id:     ${created.clientId}\nThe client authenticates with private_key_jwt (keys at ${created.jwksUri ?? 'its jwks'}).`
        : `${clientLine(created)}\nclient_id:     ${created.clientId}\nclient_secret: ${created.clientSecret}\nThe secret is shown only once: store it now.`,
    );
  }

  private async list(): Promise<void> {
    const v = this.values;
    const days = integer('expiring-within-days', v['expiring-within-days']);
    const page = await this.clients.list({
      ...(v.limit === undefined ? {} : { limit: integer('limit', v.limit)! }),
      ...(v.cursor === undefined ? {} : { cursor: v.cursor }),
      ...(v.status === undefined ? {} : { status: v.status as M2mClientStatus }),
      ...(v.owner === undefined ? {} : { ownerId: v.owner }),
      ...(v.scope === undefined ? {} : { scope: v.scope }),
      ...(v['name-prefix'] === undefined ? {} : { namePrefix: v['name-prefix'] }),
      ...(days === undefined ? {} : { expiresBefore: new Date(Date.now() + days * DAY_MS) }),
    });
    this.print(
      { data: page.data.map(ClientDto.from), next_cursor: page.nextCursor },
      [
        ...page.data.map(clientLine),
        ...(page.nextCursor ? [`next page: --cursor ${page.nextCursor}`] : []),
      ].join('\n') || 'No clients.',
    );
  }

  private async rotate(rest: string[]): Promise<void> {
    const [step, id, ...extra] = rest;
    if (id === undefined || extra.length > 0)
      throw new UsageError('clients rotate start|complete|cancel CLIENT_ID');
    const secrets = this.app.get(ClientSecretsService);
    switch (step) {
      case 'start': {
        const grace = integer('grace-seconds', this.values['grace-seconds']);
        const started = await secrets.startRotation(
          id,
          grace === undefined ? {} : { graceSeconds: grace },
          CLI,
        );
        return this.print(
          RotationStartedDto.fromStarted(started),
          `${clientLine(started)}\nnext_client_secret: ${started.nextClientSecret}\nBoth secrets work until "clients rotate complete ${id}". The new one is shown only once.`,
        );
      }
      case 'complete':
        return this.client(await secrets.completeRotation(id, CLI));
      case 'cancel':
        return this.client(await secrets.cancelRotation(id, CLI));
      default:
        throw new UsageError('clients rotate start|complete|cancel CLIENT_ID');
    }
  }

  private async audit(): Promise<void> {
    const v = this.values;
    if (v.type !== undefined && !M2M_AUDIT_EVENT_TYPES.includes(v.type as never)) {
      throw new UsageError(`--type must be one of ${M2M_AUDIT_EVENT_TYPES.join(', ')}.`);
    }
    const page = await this.app.get(AuditLog).list({
      ...(v.limit === undefined ? {} : { limit: integer('limit', v.limit)! }),
      ...(v.cursor === undefined ? {} : { cursor: v.cursor }),
      ...(v.type === undefined ? {} : { type: v.type }),
      ...(v.client === undefined ? {} : { clientId: v.client }),
      ...(v.owner === undefined ? {} : { ownerId: v.owner }),
    });
    this.print(
      { data: page.data.map(AuditEventDto.from), next_cursor: page.nextCursor },
      page.data
        .map(
          (e) =>
            `${e.occurredAt.toISOString()}  ${e.type.padEnd(26)}  ${e.clientId ?? '-'}  by ${e.actor.type}${e.actor.id ? ` ${e.actor.id}` : ''}`,
        )
        .join('\n') || 'No events.',
    );
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
  const json = args.includes('--json');
  const raw = io;
  io = {
    out: (text) => raw.out(terminalSafe(text, json)),
    err: (text) => raw.err(terminalSafe(text, false)),
  };
  let app: INestApplicationContext | undefined;
  try {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: OPTIONS,
    });
    const logger = new StderrLogger('m2m', { logLevels: ['error', 'warn'] });
    const config = loadConfig(env, (message) => logger.warn(message));
    app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger });
    await new Commands(app, values, io).run(positionals);
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
    if (
      error instanceof ClientNotFoundError ||
      error instanceof ClientStateError ||
      error instanceof SigningKeyConflictError
    ) {
      io.err(error.message);
      return 1;
    }
    io.err(`m2m: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await app?.close();
  }
}
