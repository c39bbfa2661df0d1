// Runs the README's quick start as a reader pastes it. The shell block between the
// `<!-- quickstart -->` and `<!-- /quickstart -->` markers of README.md is read from the file
// itself (never a copy), the built example server is started on a fresh SQLite file and a free
// port, and the block runs in bash with `set -euo pipefail` and the server's environment
// (DATABASE_URL, PORT). The check fails when any command of the block fails, or when the last
// line the block prints is not `HTTP 200`: the block ends with the guarded call and prints its
// status that way.
//
//   npm run build && node .ci/readme-quickstart.mjs
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const READY_TIMEOUT_MS = 30_000;
const BLOCK_TIMEOUT_MS = 180_000;

/** The shell code between the quick-start markers of README.md. */
function quickStartBlock() {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const sections = [...readme.matchAll(/<!-- quickstart -->([\s\S]*?)<!-- \/quickstart -->/g)];
  if (sections.length !== 1) {
    throw new Error(
      `README.md must hold exactly one <!-- quickstart --> … <!-- /quickstart --> section; found ${sections.length}.`,
    );
  }
  const blocks = [
    ...sections[0][1].matchAll(/^```(?:bash|sh|shell)[ \t]*\n([\s\S]*?)^```[ \t]*$/gm),
  ];
  if (blocks.length === 0)
    throw new Error('The quick-start section of README.md has no bash block.');
  return blocks.map((block) => block[1]).join('\n');
}

async function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

function startServer(env) {
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.output = '';
  child.stdout.on('data', (data) => (child.output += data));
  child.stderr.on('data', (data) => (child.output += data));
  child.exited = new Promise((resolveExit) => child.on('exit', resolveExit));
  return child;
}

async function waitReady(base, child) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The server exited early:\n${child.output}`);
    try {
      if ((await fetch(`${base}/health/ready`)).status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((wait) => setTimeout(wait, 200));
  }
  throw new Error(`The server was not ready within ${READY_TIMEOUT_MS / 1000} s:\n${child.output}`);
}

async function stopServer(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const stopped = await Promise.race([
    child.exited.then(() => true),
    new Promise((wait) => setTimeout(() => wait(false), 10_000)),
  ]);
  if (!stopped) child.kill('SIGKILL');
}

/** Runs the block in bash; resolves with its exit code and what it printed on stdout. */
function runBlock(block, env) {
  return new Promise((resolveRun, reject) => {
    const shell = spawn('bash', ['-c', `set -euo pipefail\n${block}`], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    shell.stdout.on('data', (data) => {
      stdout += data;
      process.stdout.write(data);
    });
    const timer = setTimeout(() => shell.kill('SIGKILL'), BLOCK_TIMEOUT_MS);
    shell.once('error', reject);
    shell.on('close', (code, signal) => {
      clearTimeout(timer);
      resolveRun({ code: code ?? `signal ${signal}`, stdout });
    });
  });
}

async function main() {
  if (!existsSync(join(root, 'dist/src/main.js'))) {
    throw new Error('dist/src/main.js is missing: run `npm run build` first.');
  }
  const block = quickStartBlock();
  const dir = mkdtempSync(join(tmpdir(), 'm2m-quickstart-'));
  const port = await freePort();
  const base = `http://localhost:${port}`;
  // A fresh clone's environment: no key, issuer, Redis or production mode set.
  const env = {
    ...process.env,
    PORT: String(port),
    DATABASE_URL: `sqlite:${join(dir, 'm2m.sqlite')}`,
  };
  for (const name of ['NODE_ENV', 'M2M_ISSUER', 'M2M_KEY_ENCRYPTION_KEY', 'REDIS_URL']) {
    delete env[name];
  }
  const server = startServer(env);
  try {
    await waitReady(base, server);
    console.log(`# README quick start against ${base}\n${block.trimEnd()}\n# output:`);
    const { code, stdout } = await runBlock(block, env);
    if (code !== 0) throw new Error(`The quick-start block failed (exit ${code}).`);
    const last = stdout.trimEnd().split('\n').at(-1);
    if (last !== 'HTTP 200') {
      throw new Error(`The guarded call did not answer 200: the block's last line is "${last}".`);
    }
    console.log('ok - the README quick start runs as pasted; the guarded call answered 200');
  } catch (error) {
    console.error(`# server log:\n${server.output.split('\n').slice(-30).join('\n')}`);
    throw error;
  } finally {
    await stopServer(server);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`not ok - ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
