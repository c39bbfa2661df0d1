import { spawn, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
} from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A PostgreSQL cluster of its own for a suite that breaks its database on purpose (stops it,
 * freezes it), which the shared test server must never suffer.
 */
export interface PrivatePostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  url: string;
  /** Fast shutdown (`pg_ctl stop -m fast`): connections are refused until `start()`. */
  stop(): Promise<void>;
  /** Starts the cluster again on the same port and data; waits until it accepts connections. */
  start(): Promise<void>;
  /**
   * Freezes the postmaster and every backend (SIGSTOP): connections open and queries are sent,
   * but nothing answers, as with a hung host or a network partition.
   */
  pause(): void;
  /** Lets the frozen processes run again (SIGCONT). */
  resume(): void;
  /** Stops the cluster whatever its state and deletes its files. */
  destroy(): Promise<void>;
}

const POSTGRES_USER = 'postgres';

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** The newest installed PostgreSQL binaries: `PG_BIN`, else the Debian layout. */
function postgresBin(): string | undefined {
  const has = (dir: string) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'));
  const given = process.env['PG_BIN'];
  if (given) return has(given) ? given : undefined;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  return readdirSync(root)
    .filter((version) => /^\d+$/.test(version))
    .sort((a, b) => Number(b) - Number(a))
    .map((version) => join(root, version, 'bin'))
    .find(has);
}

/** The uid and gid of the `postgres` account, which runs the server when we are root. */
function postgresAccount(): { uid: number; gid: number } | undefined {
  const id = (flag: string) => spawnSync('id', [flag, POSTGRES_USER], { encoding: 'utf8' });
  const uid = id('-u');
  const gid = id('-g');
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Why a private cluster cannot be created here, or `undefined` when it can. */
export function privatePostgresUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'pause() reads /proc, which only Linux has';
  if (postgresBin() === undefined) {
    return 'no PostgreSQL server binaries (initdb, pg_ctl); set PG_BIN';
  }
  // PostgreSQL refuses to run as root.
  if (isRoot() && postgresAccount() === undefined)
    return 'running as root without a postgres account';
  return undefined;
}

/** Runs a PostgreSQL program, as the postgres account when we are root. */
async function run(program: string, args: string[]): Promise<void> {
  const [command, argv] = isRoot()
    ? ['runuser', ['-u', POSTGRES_USER, '--', program, ...args]]
    : [program, args];
  await new Promise<void>((resolve, reject) => {
    // stdout ignored: the postmaster that pg_ctl leaves behind must not hold a pipe of ours.
    const child = spawn(command, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${program} ${args.join(' ')} exited with ${code}: ${stderr.trim()}`)),
    );
  });
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

/** The direct children of `pid`, from /proc (no procps needed). */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may contain spaces and parentheses.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // The process ended while we were listing.
    }
  }
  return children;
}

/**
 * Creates and starts a throwaway cluster: initdb into a temporary directory, a free loopback
 * port, the socket in that directory, trust authentication and fsync off (its data is disposable).
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBin();
  if (bin === undefined) throw new Error(privatePostgresUnavailable());
  const root = mkdtempSync(join(tmpdir(), 'm2m-private-pg-'));
  if (isRoot()) {
    const account = postgresAccount();
    if (account === undefined) throw new Error(privatePostgresUnavailable());
    chownSync(root, account.uid, account.gid);
  }
  const data = join(root, 'data');
  const log = join(root, 'postgres.log');
  const port = await freePort();
  await run(join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    POSTGRES_USER,
    '-A',
    'trust',
    '--no-sync',
    '-E',
    'UTF8',
  ]);
  appendFileSync(
    join(data, 'postgresql.conf'),
    [
      "listen_addresses = '127.0.0.1'",
      `port = ${port}`,
      `unix_socket_directories = '${root}'`,
      'fsync = off',
      'synchronous_commit = off',
      'full_page_writes = off',
      '',
    ].join('\n'),
  );

  let paused = false;
  let running = false;
  const pgCtl = (...args: string[]) => run(join(bin, 'pg_ctl'), ['-D', data, '-w', ...args]);
  const postmaster = (): number =>
    Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const signalAll = (signal: NodeJS.Signals) => {
    const pid = postmaster();
    // The postmaster first on SIGSTOP, so that it forks no backend we would miss.
    const processes = signal === 'SIGSTOP' ? [pid, ...childrenOf(pid)] : [...childrenOf(pid), pid];
    for (const each of processes) {
      try {
        process.kill(each, signal);
      } catch {
        // A backend that ended meanwhile.
      }
    }
  };

  const cluster: PrivatePostgres = {
    url: `postgres://${POSTGRES_USER}@127.0.0.1:${port}/postgres`,
    start: async () => {
      if (running) return;
      await pgCtl('-l', log, 'start');
      running = true;
    },
    stop: async () => {
      if (!running) return;
      if (paused) cluster.resume();
      await pgCtl('-m', 'fast', 'stop');
      running = false;
    },
    pause: () => {
      if (!running || paused) return;
      signalAll('SIGSTOP');
      paused = true;
    },
    resume: () => {
      if (!paused) return;
      signalAll('SIGCONT');
      paused = false;
    },
    destroy: async () => {
      try {
        if (paused) cluster.resume();
        if (running) await pgCtl('-m', 'immediate', 'stop');
        running = false;
      } finally {
        await rm(root, { recursive: true, force: true });
      }
    },
  };
  try {
    await cluster.start();
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  return cluster;
}
