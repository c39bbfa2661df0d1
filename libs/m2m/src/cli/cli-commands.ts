import type { INestApplicationContext } from '@nestjs/common';
import { Command, Option } from 'commander';
import { AuditEventDto } from '../admin/audit.dto.js';
import { ClientDto, CreatedClientDto, RotationStartedDto } from '../admin/client-response.dto.js';
import { SigningKeyDto } from '../admin/signing-key.dto.js';
import { M2M_AUDIT_EVENT_TYPES } from '../domain/audit-event.js';
import { AuditLog } from '../audit/audit-log.service.js';
import { ClientSecretsService } from '../clients/client-secrets.service.js';
import type { M2mCallContext } from '../domain/call-context.js';
import type { M2mClientStatus, M2mClientView } from '../clients/client.model.js';
import { ClientsService } from '../clients/clients.service.js';
import { SigningKeysService } from '../keys/signing-keys.service.js';
import { TokenRevocationService } from '../revocation/token-revocation.service.js';
import { M2mCliError } from './cli-error.js';
import { clientLine, eventLine, keyLine } from './cli-output.js';

const CLI: M2mCallContext = { actor: { type: 'cli', id: null } };
const DAY_MS = 24 * 3600 * 1000;

/** What the commands need: the application (created on first use) and where to print. */
export interface CliContext {
  app(): Promise<INestApplicationContext>;
  /** Prints `json` with --json, `human` otherwise. */
  print(json: object, human: string): void;
  /** Prints help text. */
  help(text: string): void;
}

interface ListOptions {
  limit?: string;
  cursor?: string;
}

function words(value: string | undefined): string[] {
  return (value ?? '').split(' ').filter((word) => word !== '');
}

function wholeNumber(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value)) {
    throw new M2mCliError(`--${name} must be a whole number; got "${value}".`);
  }
  return Number(value);
}

function expiry(value: string | undefined): Date | null | undefined {
  if (value === undefined) return undefined;
  if (value === 'never') return null;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new M2mCliError(`--expires-at must be an ISO 8601 date-time or "never"; got "${value}".`);
  }
  return date;
}

function page(options: ListOptions): { limit?: number; cursor?: string } {
  const limit = wholeNumber('limit', options.limit);
  return {
    ...(limit === undefined ? {} : { limit }),
    ...(options.cursor === undefined ? {} : { cursor: options.cursor }),
  };
}

/** `--json` on every command that prints. */
function withJson(command: Command): Command {
  return command.option('--json', 'print exactly one JSON object on stdout');
}

/** The command tree of `nestjs-m2m`; every action runs against the application of `context`. */
export function cliProgram(context: CliContext): Command {
  // Settings given before the subcommands are created are inherited by them: errors are thrown
  // (never process.exit) and commander writes nothing of its own but help.
  const program = new Command('nestjs-m2m')
    .description(
      'Manage the M2M clients and signing keys of a nestjs-m2m database (DATABASE_URL, M2M_KEY_ENCRYPTION_KEY).',
    )
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.help(text.trimEnd()),
      writeErr: () => undefined,
    })
    .showSuggestionAfterError(false);

  const clients = program.command('clients').description('create, list and change clients');
  const service = async () => (await context.app()).get(ClientsService);
  const printClient = (view: M2mClientView) =>
    context.print(ClientDto.from(view), clientLine(view));

  withJson(clients.command('create'))
    .description('register a client; its secret is shown once')
    .requiredOption('--name <name>', 'client name')
    .requiredOption('--scopes <scopes>', 'space-separated scopes, e.g. "orders:read orders:write"')
    .option('--audiences <uris>', 'space-separated resource URIs the client may request')
    .option('--description <text>')
    .option('--owner <id>', 'the user, organisation or tenant that owns it')
    .option('--jwks-uri <url>', 'private_key_jwt: no secret, the client signs with these keys')
    .option('--expires-at <when>', 'ISO 8601 date-time, or "never"')
    .action(async (options: Record<string, string | undefined>) => {
      const expiresAt = expiry(options['expiresAt']);
      const created = await (
        await service()
      ).create(
        {
          clientName: options['name']!,
          scopes: words(options['scopes']),
          ...(options['audiences'] === undefined ? {} : { audiences: words(options['audiences']) }),
          ...(options['description'] === undefined ? {} : { description: options['description'] }),
          ...(options['owner'] === undefined ? {} : { ownerId: options['owner'] }),
          ...(options['jwksUri'] === undefined
            ? {}
            : { authMethod: 'private_key_jwt' as const, jwksUri: options['jwksUri'] }),
          ...(expiresAt === undefined ? {} : { expiresAt }),
        },
        CLI,
      );
      context.print(
        CreatedClientDto.fromCreated(created),
        created.clientSecret === null
          ? `${clientLine(created)}\nclient_id:     ${created.clientId}\nThe client authenticates with private_key_jwt (keys at ${created.jwksUri ?? 'its jwks'}).`
          : `${clientLine(created)}\nclient_id:     ${created.clientId}\nclient_secret: ${created.clientSecret}\nThe secret is shown only once: store it now.`,
      );
    });

  withJson(clients.command('list'))
    .description('list clients, newest first')
    .option('--limit <n>')
    .option('--cursor <cursor>')
    .addOption(new Option('--status <status>').choices(['active', 'disabled']))
    .option('--owner <id>')
    .option('--scope <scope>')
    .option('--name-prefix <text>')
    .option('--expiring-within-days <n>')
    .action(async (options: Record<string, string | undefined>) => {
      const days = wholeNumber('expiring-within-days', options['expiringWithinDays']);
      const result = await (
        await service()
      ).list({
        ...page(options),
        ...(options['status'] === undefined
          ? {}
          : { status: options['status'] as M2mClientStatus }),
        ...(options['owner'] === undefined ? {} : { ownerId: options['owner'] }),
        ...(options['scope'] === undefined ? {} : { scope: options['scope'] }),
        ...(options['namePrefix'] === undefined ? {} : { namePrefix: options['namePrefix'] }),
        ...(days === undefined ? {} : { expiresBefore: new Date(Date.now() + days * DAY_MS) }),
      });
      context.print(
        { data: result.data.map(ClientDto.from), next_cursor: result.nextCursor },
        [
          ...result.data.map(clientLine),
          ...(result.nextCursor ? [`next page: --cursor ${result.nextCursor}`] : []),
        ].join('\n') || 'No clients.',
      );
    });

  withJson(clients.command('get'))
    .argument('<client-id>')
    .description('show one client')
    .action(async (id: string) => printClient(await (await service()).get(id)));

  for (const [name, status, note] of [
    ['disable', 'disabled', 'refuse its credentials and revoke its access tokens'],
    ['enable', 'active', 'let it authenticate again'],
  ] as const) {
    withJson(clients.command(name))
      .argument('<client-id>')
      .description(note)
      .action(async (id: string) =>
        printClient(await (await service()).update(id, { status }, CLI)),
      );
  }

  withJson(clients.command('delete'))
    .argument('<client-id>')
    .description('delete it and revoke its access tokens')
    .action(async (id: string) => {
      await (await service()).delete(id, CLI);
      context.print({ deleted: id }, `Deleted ${id}.`);
    });

  const rotate = clients
    .command('rotate')
    .description('rotate a secret with overlap: both work until complete');
  const secrets = async () => (await context.app()).get(ClientSecretsService);
  withJson(rotate.command('start'))
    .argument('<client-id>')
    .option('--grace-seconds <n>', 'the old secret stops working this long after the start')
    .description('issue the next secret (shown once)')
    .action(async (id: string, options: { graceSeconds?: string }) => {
      const grace = wholeNumber('grace-seconds', options.graceSeconds);
      const started = await (
        await secrets()
      ).startRotation(id, grace === undefined ? {} : { graceSeconds: grace }, CLI);
      context.print(
        RotationStartedDto.fromStarted(started),
        `${clientLine(started)}\nnext_client_secret: ${started.nextClientSecret}\nBoth secrets work until "clients rotate complete ${id}". The new one is shown only once.`,
      );
    });
  withJson(rotate.command('complete'))
    .argument('<client-id>')
    .description('the next secret becomes the secret; the old one and its tokens stop')
    .action(async (id: string) => printClient(await (await secrets()).completeRotation(id, CLI)));
  withJson(rotate.command('cancel'))
    .argument('<client-id>')
    .description('discard the next secret')
    .action(async (id: string) => printClient(await (await secrets()).cancelRotation(id, CLI)));

  const keys = program.command('keys').description('signing keys');
  const printKeys = (list: Parameters<typeof keyLine>[0][]) =>
    context.print({ data: list.map(SigningKeyDto.from) }, list.map(keyLine).join('\n'));
  withJson(keys.command('list'))
    .description('the signing keys, newest first')
    .action(async () => printKeys((await context.app()).get(SigningKeysService).list()));
  withJson(keys.command('rotate'))
    .description('the published next key starts signing')
    .action(async () =>
      printKeys(await (await context.app()).get(SigningKeysService).rotate(new Date(), CLI.actor)),
    );

  const tokens = program.command('tokens').description('access tokens');
  withJson(tokens.command('revoke'))
    .argument('<jti>')
    .description('revoke one access token by its jti')
    .action(async (jti: string) => {
      await (await context.app()).get(TokenRevocationService).revokeToken(jti, CLI);
      context.print({ revoked: jti }, `Revoked token ${jti}.`);
    });

  const audit = program.command('audit').description('the audit log');
  withJson(audit.command('list'))
    .description('audit events, newest first')
    .option('--client <client-id>')
    .addOption(new Option('--type <type>').choices([...M2M_AUDIT_EVENT_TYPES]))
    .option('--owner <id>')
    .option('--limit <n>')
    .option('--cursor <cursor>')
    .action(async (options: Record<string, string | undefined>) => {
      const result = await (await context.app()).get(AuditLog).list({
        ...page(options),
        ...(options['type'] === undefined ? {} : { type: options['type'] }),
        ...(options['client'] === undefined ? {} : { clientId: options['client'] }),
        ...(options['owner'] === undefined ? {} : { ownerId: options['owner'] }),
      });
      context.print(
        { data: result.data.map(AuditEventDto.from), next_cursor: result.nextCursor },
        result.data.map(eventLine).join('\n') || 'No events.',
      );
    });

  return program;
}
