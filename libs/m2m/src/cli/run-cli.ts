import {
  ConsoleLogger,
  Module,
  type DynamicModule,
  type INestApplicationContext,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CommanderError } from 'commander';
import type { DataSourceOptions } from 'typeorm';
import { isDatabaseUnavailable } from '../errors/database-unavailable.js';
import { describeM2mStartupError } from '../m2m-startup-error.js';
import {
  ClientNotFoundError,
  ClientStateError,
  ClientValidationError,
  SigningKeyConflictError,
} from '../errors/admin.error.js';
import type { M2mModuleOptions } from '../options/module-options.js';
import { M2mModule } from '../m2m.module.js';
import { cliProgram } from './cli-commands.js';
import { dataSourceFromUrl, withModuleTables } from './cli-database.js';
import { M2mCliError } from './cli-error.js';
import { processIo, terminalSafe, type M2mCliIo } from './cli-output.js';

/** Options of {@link runM2mCli}, for hosts that run the CLI from their own code. */
export interface M2mCliOptions {
  /**
   * Environment: `DATABASE_URL` (unless `dataSource` is given), `M2M_KEY_ENCRYPTION_KEY`,
   * optionally `M2M_ISSUER` and `NODE_ENV`. @default process.env
   */
  env?: NodeJS.ProcessEnv;
  /**
   * The host's TypeORM options instead of `DATABASE_URL` (the module's entities and migrations
   * are added, and migrations run as the host configured).
   */
  dataSource?: DataSourceOptions;
  /** Module options the host uses, so that the CLI applies the same rules (lifetimes, resources). */
  moduleOptions?: Partial<M2mModuleOptions>;
  /** Where to print. @default stdout and stderr */
  io?: M2mCliIo;
}

/** Contexts whose errors the CLI reports itself, as one line, instead of Nest's stack trace. */
const REPORTED_BY_CLI = new Set(['ExceptionHandler', 'TypeOrmModule', 'InstanceLoader']);
/**
 * Contexts whose warnings mean nothing for one CLI run: each run registers exactly one data source,
 * which a host that runs the CLI several times in one process would otherwise hear about.
 */
const QUIET_IN_CLI = new Set(['DataSourceNameRegistry']);

/**
 * Logs go to stderr, so that stdout carries results only. A failure to start (a bad key, an
 * unreachable database) is reported once by the CLI as one line, so Nest's own report of it is
 * dropped.
 */
class StderrLogger extends ConsoleLogger {
  override error(message: unknown, ...optionalParams: unknown[]): void {
    const context = optionalParams.at(-1) ?? this.context;
    if (typeof context === 'string' && REPORTED_BY_CLI.has(context)) return;
    super.error(message, ...optionalParams);
  }

  override warn(message: unknown, ...optionalParams: unknown[]): void {
    const context = optionalParams.at(-1) ?? this.context;
    if (typeof context === 'string' && QUIET_IN_CLI.has(context)) return;
    super.warn(message, ...optionalParams);
  }

  protected override printMessages(
    messages: unknown[],
    context?: string,
    logLevel?: Parameters<ConsoleLogger['printMessages']>[2],
  ): void {
    super.printMessages(messages, context, logLevel, 'stderr');
  }
}

@Module({})
class M2mCliModule {
  static with(dataSource: DataSourceOptions, options: M2mModuleOptions): DynamicModule {
    return {
      module: M2mCliModule,
      imports: [
        // One attempt: an operator at a terminal wants the error now, not after ten retries.
        TypeOrmModule.forRoot({ ...dataSource, retryAttempts: 0 }),
        M2mModule.forRoot({ ...options, admin: false }),
      ],
    };
  }
}

function moduleOptions(env: NodeJS.ProcessEnv, given: Partial<M2mModuleOptions>): M2mModuleOptions {
  const keyEncryptionKey = given.keyEncryptionKey ?? env['M2M_KEY_ENCRYPTION_KEY'];
  if (keyEncryptionKey === undefined || keyEncryptionKey === '') {
    throw new M2mCliError(
      'M2M_KEY_ENCRYPTION_KEY is required: the key that encrypts the signing keys in this database (32 random bytes, base64).',
      1,
    );
  }
  return {
    // The CLI issues no token; the issuer only has to be valid.
    issuer: env['M2M_ISSUER'] || 'http://localhost',
    ...given,
    keyEncryptionKey,
  };
}

/** The environment variables behind the module options, as the CLI reads them. */
const CLI_SETTINGS = {
  keyEncryptionKey: 'M2M_KEY_ENCRYPTION_KEY',
  issuer: 'M2M_ISSUER',
  database: 'DATABASE_URL',
} as const;

/** The one line and exit code for an error. */
function describe(error: unknown): { code: string; message: string; exit: number } {
  if (error instanceof M2mCliError)
    return { code: 'usage', message: error.message, exit: error.exitCode };
  if (error instanceof ClientValidationError) {
    const fields = error.errors.map((e) => `${e.pointer.slice(2)}: ${e.detail}`).join('; ');
    return { code: 'invalid_input', message: `Invalid input: ${fields}`, exit: 2 };
  }
  if (
    error instanceof ClientNotFoundError ||
    error instanceof ClientStateError ||
    error instanceof SigningKeyConflictError
  ) {
    return { code: 'refused', message: error.message, exit: 1 };
  }
  const startup = describeM2mStartupError(error, CLI_SETTINGS);
  if (startup !== undefined) {
    return {
      code: isDatabaseUnavailable(error) ? 'database_unavailable' : 'cannot_start',
      message: startup,
      exit: 1,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'failed', message: message.split('\n', 1)[0]!, exit: 1 };
}

/** A commander error as one line: `unknown command "x"`, a missing option, … */
function commanderProblem(error: CommanderError): { message: string; exit: number } | null {
  if (['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(error.code)) {
    return null;
  }
  const unknown = /unknown command '([^']*)'/.exec(error.message);
  if (unknown !== null) return { message: `unknown command "${unknown[1]}"`, exit: 2 };
  return { message: error.message.replace(/^error: /, ''), exit: 2 };
}

/**
 * Runs the `nestjs-m2m` CLI with `args` (as after the program name); resolves with the exit code:
 * 0 done, 1 refused or failed, 2 bad usage or invalid input. Results go to stdout (exactly one
 * JSON object with `--json`); errors are one line on stderr (a JSON object with `--json`).
 *
 * @example
 * ```ts
 * process.exitCode = await runM2mCli(process.argv.slice(2), { dataSource: myDataSourceOptions });
 * ```
 */
export async function runM2mCli(args: string[], options: M2mCliOptions = {}): Promise<number> {
  const env = options.env ?? process.env;
  const raw = options.io ?? processIo;
  const json = args.includes('--json');
  const io: M2mCliIo = {
    out: (text) => raw.out(terminalSafe(text, json)),
    err: (text) => raw.err(terminalSafe(text, json)),
  };
  const fail = (code: string, message: string, exit: number): number => {
    io.err(json ? JSON.stringify({ error: code, message }) : message);
    return exit;
  };
  let app: INestApplicationContext | undefined;
  const program = cliProgram({
    app: async () => {
      if (app === undefined) {
        const dataSource = withModuleTables(
          options.dataSource ?? dataSourceFromUrl(env['DATABASE_URL']),
        );
        app = await NestFactory.createApplicationContext(
          M2mCliModule.with(dataSource, moduleOptions(env, options.moduleOptions ?? {})),
          {
            logger: new StderrLogger('nestjs-m2m', { logLevels: ['error', 'warn'] }),
            // Nest would otherwise exit the process on a start-up error; the CLI reports it.
            abortOnError: false,
          },
        );
      }
      return app;
    },
    print: (value, human) => io.out(json ? JSON.stringify(value) : human),
    help: (text) => io.out(text),
  });
  try {
    if (args.length === 0) {
      io.out(program.helpInformation().trimEnd());
      return 2;
    }
    await program.parseAsync(args, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      const problem = commanderProblem(error);
      return problem === null ? 0 : fail('usage', problem.message, problem.exit);
    }
    const { code, message, exit } = describe(error);
    return fail(code, message, exit);
  } finally {
    await app?.close().catch(() => undefined);
  }
}
