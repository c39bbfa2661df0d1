// Benchmarks of the example authorization server over HTTP, with a reference peer
// (node-oidc-provider issuing ES256 JWT access tokens) measured side by side in the same run.
// Run with `npm run bench` (builds first) or `node bench/run.mjs [--quick] [--only=a,b,…]` after
// a build. Servers, load generators and the flood driver are separate child processes; this
// process only orchestrates, reads /proc/<pid>/status and prints.
//
// Rows (names for --only):
//   guard   GET /demo/public (no guard) vs GET /demo/whoami (bearer token, the same one reused)
//   token   POST /oauth2/token, one valid client again and again: ours vs the peer
//   flood   a valid client's token requests, idle and while a flood of wrong secrets from 200
//           loopback addresses runs (half aimed at that client's id, half at unknown ids); the
//           valid client sends from addresses of its own, four per phase
//   rss     memory of the servers after boot and after load
//   scale   token issuance and the admin list page at 100 and at 100,000 clients
//   memory  memory before/after 100,000 distinct unknown client ids, and after minting and
//           presenting 100,000 distinct tokens (both capped by time; the output says when),
//           on a server without the failure delay (SERVER_OPTIONS.memory)
//   client  nestjs-m2m-client in this process: 10,000 calls to GET /demo/whoami through
//           client.fetch (50 in flight), which must make exactly one token request, and the
//           time of a cached getToken() beside a bare await, in µs per call
//
// Reading the results: the machine is shared and noisy, so absolute numbers say little. Compare
// the two figures of a row, which were measured minutes apart in the same run; every ratio says
// what it divides ("ours/peer tokens/s" = our tokens per second divided by the peer's; above 1
// means we are faster; for latencies and memory, above 1 means we are slower / bigger).
// Latencies are in milliseconds, of all answers unless the line says "2xx only". Memory is in
// MB: VmRSS as the kernel reports it, and the V8 heap in use after a full garbage collection
// (the servers run with --expose-gc and collect on request), which tells retained memory from
// garbage. Raw results go to bench/results/latest.json.
//
// Environment:
//   BENCH_M2M_OPTIONS    JSON M2mModule options for the throughput rows (guard, token, scale),
//                        e.g. '{"credentialCache":false}'; unset means the defaults. The flood
//                        and memory rows always run with the server's defaults (SERVER_OPTIONS).
//   BENCH_PORT_BASE      first of the ports to use (base, base+1, …: one per server, up to 5);
//                        free ports when unset
//   BENCH_SERVER_LOGGER  the server's logger: "default" (Nest's, as `npm start` has it; the
//                        default), false, or levels such as "error,warn"
//   BENCH_KEEP_TMP=1     keep the temporary directories (databases, tokens) for inspection
//   BENCH_DEBUG=1        print the stack trace of a failure
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clearTimeout, setTimeout } from 'node:timers';
import { parseArgs } from 'node:util';
import { seedClients } from './lib/seed-clients.mjs';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const BENCH = join(ROOT, 'bench');
const ROWS = ['guard', 'token', 'flood', 'rss', 'scale', 'memory', 'client'];

const { values: flags } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } },
  strict: true,
});
const quick = flags.quick;
const only = new Set(flags.only ? flags.only.split(',').map((s) => s.trim()) : ROWS);
for (const name of only) {
  if (!ROWS.includes(name)) {
    console.error(`Unknown row "${name}"; rows are ${ROWS.join(', ')}.`);
    process.exit(2);
  }
}

/** Durations in seconds and sizes; --quick shortens the runs, not the sizes of the scale row. */
const PLAN = quick
  ? {
      duration: 3,
      rounds: 1,
      warmup: 0.5,
      floodLead: 1.5,
      settle: 0.5,
      scaleSizes: [100, 100_000],
      distinctIds: 100_000,
      distinctIdsSeconds: 5,
      tokens: 100_000,
      mintSeconds: 6,
    }
  : {
      duration: 10,
      rounds: 4,
      warmup: 1,
      floodLead: 2,
      settle: 1.5,
      scaleSizes: [100, 100_000],
      distinctIds: 100_000,
      distinctIdsSeconds: 200,
      tokens: 100_000,
      mintSeconds: 60,
    };

/**
 * The M2mModule options each server runs with: the single place to change them. `throughput`
 * servers (guard, token, scale rows) take BENCH_M2M_OPTIONS (none by default, to compare a
 * setting); `defaults` servers (flood, memory rows) run with no override at all, i.e. what a
 * deployment gets.
 */
const SERVER_OPTIONS = {
  throughput: parseOptions(process.env.BENCH_M2M_OPTIONS),
  defaults: {},
  // The memory row pushes 100,000 distinct client ids through the token endpoint, to show that
  // what is kept per claimed id stays bounded. Every attempt must then reach the per-client
  // accounting: the per-address budget is opened wide, bcrypt runs at cost 4 and the failure
  // delay is off, or the defenses would hold the driver to a few hundred ids a minute.
  memory: {
    bcryptCost: 4,
    rateLimit: { failuresPerIp: 1_000_000 },
    secretVerification: { failureDelayMs: 0, concurrency: 2 },
  },
};

function parseOptions(text) {
  if (text === undefined || text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    console.error(`BENCH_M2M_OPTIONS is not JSON: ${error.message}`);
    process.exit(2);
  }
}

const MB = 1024 * 1024;
/** Source addresses of the valid client in the flood row (the flood uses 127.0.0.2 … .201). */
const VALID_SOURCES = {
  idle: ['127.0.0.240', '127.0.0.241', '127.0.0.242', '127.0.0.243'],
  flood: ['127.0.0.244', '127.0.0.245', '127.0.0.246', '127.0.0.247'],
};
const TOKEN_BODY = 'grant_type=client_credentials&scope=reports:read';
const FORM = 'application/x-www-form-urlencoded';

// ---------------------------------------------------------------------------------------------
// Child processes and temporary directories, all released on exit, error or signal.

const children = new Set();
const tempDirs = new Set();

function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

function releaseAll() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
  if (process.env.BENCH_KEEP_TMP === '1') {
    if (tempDirs.size > 0) console.error(`Kept: ${[...tempDirs].join(' ')}`);
    return;
  }
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

process.on('exit', releaseAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping the servers and load generators.`);
    releaseAll();
    process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
  });
}

function track(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

const sleep = (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

/** Stops a child with SIGTERM, then SIGKILL if it is still there after `graceMs`. */
async function stopChild(child, graceMs = 5000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

// ---------------------------------------------------------------------------------------------
// Ports

let nextPort = process.env.BENCH_PORT_BASE ? Number(process.env.BENCH_PORT_BASE) : null;

function probePort(port) {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `Port ${port} on 127.0.0.1 is busy. Free it, set BENCH_PORT_BASE to another base, or unset BENCH_PORT_BASE to use free ports.`,
            )
          : error,
      ),
    );
    probe.listen(port, '127.0.0.1', () => {
      const { port: bound } = probe.address();
      probe.close(() => resolve(bound));
    });
  });
}

/** A port for the next server: BENCH_PORT_BASE, +1, … when set (checked free), else any free one. */
async function port() {
  if (nextPort === null) return probePort(0);
  return probePort(nextPort++);
}

// ---------------------------------------------------------------------------------------------
// Servers

/**
 * Starts a server script (with --expose-gc and an IPC channel); resolves once it printed its
 * ready line and `healthPath` answers 200. Its stderr is kept (the last 8 kB) for the error
 * message if it fails. `gcMemory()` asks it, over IPC, for a full garbage collection and its
 * memory usage afterwards.
 */
async function startServer(name, script, env, healthPath) {
  const child = track(
    spawn(process.execPath, ['--expose-gc', join(BENCH, 'servers', script)], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    }),
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-8192);
  });
  const messages = [];
  const waiting = [];
  const receive = (message) => {
    const waiter = waiting.findIndex((w) => w.key in message);
    if (waiter >= 0) waiting.splice(waiter, 1)[0].resolve(message);
    else messages.push(message);
  };
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.startsWith('{')) receive(JSON.parse(line));
  });
  child.on('message', receive);
  const next = (key, timeoutMs) =>
    new Promise((resolve, reject) => {
      const queued = messages.findIndex((m) => key in m);
      if (queued >= 0) return resolve(messages.splice(queued, 1)[0]);
      const timer = setTimeout(() => reject(new Error(`${name}: no "${key}" line`)), timeoutMs);
      const onExit = (code, signal) =>
        reject(new Error(`${name} exited (${signal ?? code}):\n${stderr}`));
      child.once('exit', onExit);
      waiting.push({
        key,
        resolve: (message) => {
          clearTimeout(timer);
          child.off('exit', onExit);
          resolve(message);
        },
      });
    });
  const ready = await next('ready', 60_000);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const status = await fetch(ready.url + healthPath).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) break;
    if (Date.now() > deadline) throw new Error(`${name}: ${healthPath} still ${status} after 30 s`);
    await sleep(0.2);
  }
  return {
    name,
    child,
    pid: child.pid,
    url: ready.url,
    ready,
    async gcMemory() {
      const reply = next('memory', 10_000);
      child.send({ type: 'memory' });
      return (await reply).memory;
    },
  };
}

/** Environment of our server and CLI over a fresh SQLite database in a temporary directory. */
async function m2mEnvironment(label) {
  const dir = tempDir(`m2m-bench-${label}-`);
  const serverPort = await port();
  return {
    dir,
    file: join(dir, 'm2m.sqlite'),
    env: {
      DATABASE_URL: `sqlite:${join(dir, 'm2m.sqlite')}`,
      M2M_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      PORT: String(serverPort),
      HOST: '127.0.0.1',
      NODE_ENV: 'development',
    },
  };
}

function startM2m(environment, optionsKey) {
  return startServer(
    `m2m-server (${optionsKey} options)`,
    'm2m-server.mjs',
    {
      ...environment.env,
      BENCH_M2M_OPTIONS: JSON.stringify(SERVER_OPTIONS[optionsKey]),
      BENCH_SERVER_LOGGER: process.env.BENCH_SERVER_LOGGER ?? 'default',
    },
    '/health',
  );
}

/** Creates a client with the real CLI; resolves with { client_id, client_secret, … }. */
function cliCreateClient(environment, name, scopes) {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [
        join(ROOT, 'dist/src/cli.js'),
        'clients',
        'create',
        '--name',
        name,
        '--scopes',
        scopes,
        '--json',
      ],
      { cwd: ROOT, env: { ...process.env, ...environment.env } },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`CLI clients create failed: ${stderr || error.message}`));
        else resolve(JSON.parse(stdout));
      },
    );
  });
}

/** VmRSS and VmHWM (peak) of a process, in MB. */
function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/**
 * Memory of a server once it has settled: VmRSS and VmHWM as they are (`rssMb`, `peakMb`), then,
 * after a full garbage collection in the server, its V8 heap in use (`heapUsedMb`) and VmRSS
 * again (`rssAfterGcMb`). The first is what the operating system sees; the second tells retained
 * memory from garbage not yet collected.
 */
async function settledMemory(server) {
  await sleep(PLAN.settle);
  const raw = memory(server.pid);
  const usage = await server.gcMemory();
  return {
    ...raw,
    heapUsedMb: usage.heapUsed / MB,
    externalMb: usage.external / MB,
    rssAfterGcMb: memory(server.pid).rssMb,
  };
}

// ---------------------------------------------------------------------------------------------
// Load processes

/** Runs a load script to its end; resolves with the JSON object it printed. */
function runLoad(script, spec, timeoutSeconds) {
  return new Promise((resolve, reject) => {
    const child = track(
      spawn(process.execPath, [join(BENCH, 'load', script), JSON.stringify(spec)], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-8192)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script}: no result within ${timeoutSeconds} s\n${stderr}`));
    }, timeoutSeconds * 1000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.trim().split('\n').at(-1);
      if (code === 0 && line?.startsWith('{')) resolve(JSON.parse(line));
      else reject(new Error(`${script} failed (${signal ?? code}):\n${stderr || stdout}`));
    });
  });
}

/** Starts a long-running load script; `stop()` sends SIGTERM and resolves with its JSON result. */
function startLoad(script, spec) {
  const child = track(
    spawn(process.execPath, [join(BENCH, 'load', script), JSON.stringify(spec)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-8192)));
  const done = new Promise((resolve, reject) => {
    child.once('exit', (code, signal) => {
      const line = stdout.trim().split('\n').at(-1);
      if (line?.startsWith('{')) resolve(JSON.parse(line));
      else reject(new Error(`${script} failed (${signal ?? code}):\n${stderr || stdout}`));
    });
  });
  return {
    child,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      try {
        return await done;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** autocannon in its own process, after a warm-up. */
function autocannon(spec) {
  const duration = spec.duration ?? PLAN.duration;
  const warmup = spec.warmup ?? PLAN.warmup;
  return runLoad('autocannon.mjs', { ...spec, duration, warmup }, duration + warmup + 90);
}

const median = (values) => {
  const sorted = values.filter((v) => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** Sums the counts of several runs of one spec; latencies are the median of the runs' figures. */
function mergeRuns(runs) {
  const sum = (pick) => runs.reduce((total, run) => total + pick(run), 0);
  const duration = sum((r) => r.duration);
  const statusCodes = {};
  for (const run of runs)
    for (const [code, n] of Object.entries(run.statusCodes))
      statusCodes[code] = (statusCodes[code] ?? 0) + n;
  return {
    ...runs[0],
    rounds: runs.length,
    duration,
    requestsPerSecond: sum((r) => r.requestsPerSecond * r.duration) / duration,
    okPerSecond: sum((r) => r.ok) / duration,
    sent: sum((r) => r.sent),
    total: sum((r) => r.total),
    ok: sum((r) => r.ok),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    statusCodes,
    latency: {
      p50: median(runs.map((r) => r.latency.p50)),
      p99: median(runs.map((r) => r.latency.p99)),
      max: Math.max(...runs.map((r) => r.latency.max ?? 0)),
    },
    okLatency: {
      p50: median(runs.map((r) => r.okLatency.p50)),
      p99: median(runs.map((r) => r.okLatency.p99)),
    },
    perRound: runs.map((r) => ({ okPerSecond: r.okPerSecond, p99: r.latency.p99 })),
  };
}

/**
 * Measures two specs side by side: `PLAN.rounds` rounds, each running both for
 * `PLAN.duration / 2` s, in the order AB, BA, AB, … so that slow drifts of a shared machine
 * weigh on both alike. Returns each side merged, and the median of the per-round ratios.
 */
async function interleaved(specA, specB) {
  const duration = quick ? PLAN.duration : PLAN.duration / 2;
  const runsA = [];
  const runsB = [];
  for (let round = 0; round < PLAN.rounds; round++) {
    const order = round % 2 === 0 ? ['a', 'b'] : ['b', 'a'];
    for (const side of order) {
      // Warm-up only on the first run of each side.
      const warmup = (side === 'a' ? runsA : runsB).length === 0 ? PLAN.warmup : 0;
      const run = await autocannon({ ...(side === 'a' ? specA : specB), duration, warmup });
      (side === 'a' ? runsA : runsB).push(run);
    }
  }
  const a = mergeRuns(runsA);
  const b = mergeRuns(runsB);
  const perRound = (pick) => median(runsA.map((run, i) => ratio(pick(runsB[i]), pick(run))));
  return {
    a,
    b,
    medianRatio: {
      okPerSecond: perRound((r) => r.okPerSecond),
      p99: perRound((r) => r.latency.p99),
    },
  };
}

function tokenRequestSpec(url, clientId, clientSecret, connections) {
  return {
    url: `${url}/oauth2/token`,
    method: 'POST',
    headers: { authorization: basicAuth(clientId, clientSecret), 'content-type': FORM },
    body: TOKEN_BODY,
    connections,
  };
}

function basicAuth(clientId, clientSecret) {
  return `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
}

/** One token request from this process (set-up only, never load). */
async function requestToken(tokenEndpoint, clientId, clientSecret, body = TOKEN_BODY) {
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: { authorization: basicAuth(clientId, clientSecret), 'content-type': FORM },
    body,
  });
  const text = await response.text();
  if (response.status !== 200) {
    throw new Error(`${tokenEndpoint} answered ${response.status}: ${text.slice(0, 300)}`);
  }
  return JSON.parse(text).access_token;
}

/** Checks that a token is a JWT access token (RFC 9068) signed with ES256; returns its header. */
function assertJwtAccessToken(token, who) {
  const parts = String(token).split('.');
  if (parts.length !== 3)
    throw new Error(`${who}: the access token is not a JWT (${parts.length} parts)`);
  const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
  if (header.alg !== 'ES256' || String(header.typ).toLowerCase() !== 'at+jwt') {
    throw new Error(`${who}: expected an ES256 at+jwt token; header is ${JSON.stringify(header)}`);
  }
  return header;
}

// ---------------------------------------------------------------------------------------------
// Formatting

const lines = [];
const f0 = (n) => (n === null || n === undefined || Number.isNaN(n) ? '-' : n.toFixed(0));
const f1 = (n) => (n === null || n === undefined || Number.isNaN(n) ? '-' : n.toFixed(1));
const f2 = (n) => (n === null || n === undefined || Number.isNaN(n) ? '-' : n.toFixed(2));
const ms = (n) =>
  n === null || n === undefined
    ? '-'
    : n >= 100
      ? n.toFixed(0)
      : n >= 10
        ? n.toFixed(1)
        : n.toFixed(2);
const ratio = (a, b) => (a > 0 && b > 0 ? a / b : NaN);
const pct = (part, whole) => (whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '-');
const codes = (counts) =>
  Object.entries(counts ?? {})
    .map(([code, n]) => `${code}:${n}`)
    .join(' ') || '-';
const successCell = (r) => `${r.ok}/${r.total} = ${pct(r.ok, r.total)} (${f1(r.okPerSecond)})`;
const latencyCell = (r) => `${ms(r.latency.p50)} / ${ms(r.latency.p99)}`;
const failures = (r) => `${r.non2xx} / ${r.errors}`;
/** A ratio with two decimals, or two significant digits below 0.1 (e.g. 0.0065). */
const fr = (n) => (Number.isFinite(n) ? (n < 0.1 ? n.toPrecision(2) : n.toFixed(2)) : '-');
const signed = (n) => (n >= 0 ? `+${f1(n)}` : f1(n));

/** Two lines for a before/after memory pair: VmRSS, and the V8 heap in use after a full GC. */
function addMemory(row, label, before, after, [beforeName, afterName] = ['before', 'after']) {
  add(
    row,
    `${label}: VmRSS`,
    f1(before.rssMb),
    f1(after.rssMb),
    `${afterName}/${beforeName} RSS = ${f2(after.rssMb / before.rssMb)} (${signed(after.rssMb - before.rssMb)} MB; peak ${f1(after.peakMb)})`,
  );
  add(
    row,
    `${label}: V8 heap used after GC`,
    f1(before.heapUsedMb),
    f1(after.heapUsedMb),
    `${afterName}/${beforeName} heap = ${f2(after.heapUsedMb / before.heapUsedMb)} (${signed(after.heapUsedMb - before.heapUsedMb)} MB)`,
  );
}

function add(row, measurement, a, b, ratioText = '') {
  lines.push([row, measurement, String(a), String(b), ratioText]);
}

function printTable(header) {
  const all = [['row', 'measurement', 'A', 'B', 'ratio (labelled)'], ...lines];
  const widths = all[0].map((_, i) => Math.max(...all.map((l) => l[i].length)));
  const fmt = (cells) =>
    cells
      .map((c, i) => (i === 2 || i === 3 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  console.log(`\n${header}\n`);
  console.log(fmt(all[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  let previous = null;
  for (const line of lines) {
    if (previous !== null && line[0] !== previous) console.log('');
    console.log(fmt([line[0] === previous ? '' : line[0], ...line.slice(1)]));
    previous = line[0];
  }
}

function progress(message) {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

// ---------------------------------------------------------------------------------------------
// Rows

const results = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: availableParallelism(),
  quick,
  rows: [...only],
  plan: PLAN,
  serverOptions: SERVER_OPTIONS,
  tokenRequestBody: TOKEN_BODY,
};

async function throughputRows() {
  const environment = await m2mEnvironment('main');
  const client = await cliCreateClient(environment, 'bench', 'reports:read');
  const server = await startM2m(environment, 'throughput');
  const rss = { boot: await settledMemory(server) };
  const token = await requestToken(
    `${server.url}/oauth2/token`,
    client.client_id,
    client.client_secret,
  );
  const oursHeader = assertJwtAccessToken(token, 'our server');

  if (only.has('guard')) {
    progress('guard: GET /demo/public vs GET /demo/whoami, interleaved');
    const compared = await interleaved(
      { url: `${server.url}/demo/public`, connections: 16 },
      {
        url: `${server.url}/demo/whoami`,
        headers: { authorization: `Bearer ${token}` },
        connections: 16,
      },
    );
    const { a: open, b: guarded } = compared;
    results.guard = { unguarded: open, guarded, medianRatio: compared.medianRatio };
    add(
      'a guard (16 conn)',
      'req/s (2xx)  A=/demo/public (no guard)  B=/demo/whoami',
      f0(open.okPerSecond),
      f0(guarded.okPerSecond),
      `guarded/unguarded req/s = ${f2(ratio(guarded.okPerSecond, open.okPerSecond))} (median of rounds ${f2(compared.medianRatio.okPerSecond)})`,
    );
    add(
      'a guard (16 conn)',
      'p50 / p99 ms (median of rounds)',
      latencyCell(open),
      latencyCell(guarded),
      `guarded/unguarded p99 = ${f2(compared.medianRatio.p99)}`,
    );
    add('a guard (16 conn)', 'non-2xx / errors', failures(open), failures(guarded));
  }

  let peer;
  if (only.has('token') || only.has('rss')) {
    const peerSecret = randomBytes(32).toString('base64url');
    peer = await startServer(
      'oidc-provider peer',
      'oidc-provider.mjs',
      {
        PORT: String(await port()),
        HOST: '127.0.0.1',
        PEER_CLIENT_ID: 'bench-peer',
        PEER_CLIENT_SECRET: peerSecret,
      },
      '/.well-known/openid-configuration',
    );
    peer.secret = peerSecret;
    results.peer = { notices: peer.ready.notices, rss: { boot: await settledMemory(peer) } };
    const peerToken = await requestToken(peer.ready.tokenEndpoint, 'bench-peer', peerSecret);
    results.peer.tokenHeader = assertJwtAccessToken(peerToken, 'oidc-provider peer');
  }

  if (only.has('token')) {
    progress('token: POST /oauth2/token, ours vs the peer, interleaved');
    const compared = await interleaved(
      tokenRequestSpec(server.url, client.client_id, client.client_secret, 16),
      {
        ...tokenRequestSpec(peer.url, 'bench-peer', peer.secret, 16),
        url: peer.ready.tokenEndpoint,
      },
    );
    const { a: ours, b: theirs } = compared;
    results.token = {
      ours,
      peer: theirs,
      oursTokenHeader: oursHeader,
      medianRatio: compared.medianRatio,
    };
    const row = 'b token (16 conn)';
    add(
      row,
      'tokens/s (2xx)  A=ours  B=oidc-provider',
      f1(ours.okPerSecond),
      f1(theirs.okPerSecond),
      `ours/peer tokens/s = ${fr(ratio(ours.okPerSecond, theirs.okPerSecond))} (median of rounds ${fr(1 / compared.medianRatio.okPerSecond)})`,
    );
    add(
      row,
      'p50 / p99 ms (median of rounds)',
      latencyCell(ours),
      latencyCell(theirs),
      `ours/peer p99 = ${f2(1 / compared.medianRatio.p99)}`,
    );
    add(row, 'non-2xx / errors', failures(ours), failures(theirs));
  }

  if (only.has('client')) await clientRow(server, client);

  rss.afterLoad = await settledMemory(server);
  results.rss = { ...results.rss, throughputServer: rss };
  if (peer) {
    results.peer.rss.afterLoad = await settledMemory(peer);
    await stopChild(peer.child);
  }
  await stopChild(server.child);
}

/** Client SDK calls made by the client row, and the cached getToken() calls timed. */
const CLIENT_CALLS = 10_000;
const CLIENT_IN_FLIGHT = 50;
const CACHED_CALLS = 200_000;

/** Mean microseconds per call of `call`, run `count` times one after the other. */
async function microsPerCall(count, call) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i += 1) await call();
  return Number(process.hrtime.bigint() - start) / 1000 / count;
}

async function clientRow(server, credentials) {
  progress(`client: ${CLIENT_CALLS} guarded calls through nestjs-m2m-client's fetch`);
  const { M2mTokenClient } = await import('nestjs-m2m-client');
  let tokenRequests = 0;
  const client = new M2mTokenClient({
    // The bench server's issuer is http://localhost:PORT while it is reached at 127.0.0.1.
    tokenEndpoint: `${server.url}/oauth2/token`,
    clientId: credentials.client_id,
    clientSecret: credentials.client_secret,
    scopes: ['reports:read'],
    fetch: (input, init) => {
      if (String(input).endsWith('/oauth2/token')) tokenRequests += 1;
      return fetch(input, init);
    },
  });
  let next = 0;
  let ok = 0;
  const started = Date.now();
  const worker = async () => {
    while (next < CLIENT_CALLS) {
      next += 1;
      const response = await client.fetch(`${server.url}/demo/whoami`);
      await response.arrayBuffer();
      if (response.status === 200) ok += 1;
    }
  };
  await Promise.all(Array.from({ length: CLIENT_IN_FLIGHT }, worker));
  const seconds = (Date.now() - started) / 1000;
  if (tokenRequests !== 1 || ok !== CLIENT_CALLS) {
    throw new Error(
      `client row: ${CLIENT_CALLS} calls made ${tokenRequests} token requests and ${ok} 200 answers; expected 1 and ${CLIENT_CALLS}`,
    );
  }
  const token = await client.getToken();
  const resolved = Promise.resolve(token);
  // Warm both paths before timing them.
  await microsPerCall(10_000, () => client.getToken());
  await microsPerCall(10_000, () => resolved);
  const cached = await microsPerCall(CACHED_CALLS, () => client.getToken());
  const bare = await microsPerCall(CACHED_CALLS, () => resolved);
  results.client = {
    calls: CLIENT_CALLS,
    inFlight: CLIENT_IN_FLIGHT,
    tokenRequests,
    ok,
    callsPerSecond: CLIENT_CALLS / seconds,
    cachedGetTokenMicros: cached,
    bareAwaitMicros: bare,
  };
  const row = 'g client SDK';
  add(row, `token requests for ${CLIENT_CALLS} client.fetch calls (A)`, tokenRequests, '-');
  add(row, 'calls/s through client.fetch, 50 in flight (A)', f0(CLIENT_CALLS / seconds), '-');
  add(
    row,
    'µs per call  A=cached getToken()  B=await of a resolved promise',
    f2(cached),
    f2(bare),
    `getToken overhead = ${f2(cached - bare)} µs`,
  );
}

async function floodRow() {
  progress('flood: valid client idle, then during a flood of wrong secrets');
  const environment = await m2mEnvironment('flood');
  const victim = await cliCreateClient(environment, 'bench', 'reports:read');
  const server = await startM2m(environment, 'defaults');
  const rss = { boot: await settledMemory(server) };
  // A few requests so that the first measured ones do not pay for lazy initialisation.
  for (let i = 0; i < 3; i++) {
    await requestToken(`${server.url}/oauth2/token`, victim.client_id, victim.client_secret);
  }
  // The valid client's connections each send from their own source address, and each phase
  // from its own addresses (none of them the flood's): a per-IP limit on all token requests
  // (the default until now, 300 a minute) would otherwise refuse the valid client's own steady
  // traffic after ~10 s at 30 tokens/s, and the idle phase would use up the window of the
  // phase under flood. Its effect on a flood is what this row is about, not that.
  const valid = {
    ...tokenRequestSpec(server.url, victim.client_id, victim.client_secret, 4),
    warmup: 0,
  };
  const idle = await autocannon({ ...valid, localAddresses: VALID_SOURCES.idle });
  const flood = startLoad('flood.mjs', {
    url: `${server.url}/oauth2/token`,
    victim: victim.client_id,
    connections: 32,
    victimShare: 0.5,
    addresses: 200,
  });
  await sleep(PLAN.floodLead);
  let during;
  try {
    during = await autocannon({ ...valid, localAddresses: VALID_SOURCES.flood });
  } finally {
    results.floodDriver = await flood.stop();
  }
  rss.afterFlood = await settledMemory(server);
  results.flood = { options: SERVER_OPTIONS.defaults, idle, during, driver: results.floodDriver };
  results.rss = { ...results.rss, floodServer: rss };
  await stopChild(server.child);

  const row = 'c flood (4 conn valid)';
  const driver = results.floodDriver;
  add(
    row,
    'valid client p50 / p99 ms  A=idle  B=during flood',
    latencyCell(idle),
    latencyCell(during),
    `flood/idle p99 = ${f1(ratio(during.latency.p99, idle.latency.p99))}`,
  );
  add(
    row,
    'valid client, 2xx answers only: p50 / p99 ms',
    `${ms(idle.okLatency.p50)} / ${ms(idle.okLatency.p99)}`,
    `${ms(during.okLatency.p50)} / ${ms(during.okLatency.p99)}`,
    `flood/idle 2xx p99 = ${f1(ratio(during.okLatency.p99, idle.okLatency.p99))}`,
  );
  add(
    row,
    'valid client 2xx/answered = success (tokens/s)',
    successCell(idle),
    successCell(during),
    `flood/idle tokens/s = ${fr(ratio(during.okPerSecond, idle.okPerSecond))}`,
  );
  add(
    row,
    'valid client status codes / errors',
    `${codes(idle.statusCodes)} / ${idle.errors}`,
    `${codes(during.statusCodes)} / ${during.errors}`,
  );
  add(
    row,
    `flood req/s (${driver.connections} conn, ${driver.addressesUsed} source addresses)`,
    '',
    f1(driver.requestsPerSecond),
    `${driver.requests} requests in ${f1(driver.seconds)} s`,
  );
  add(
    row,
    'flood status codes (B=all; victim id | unknown ids)',
    '',
    codes(driver.statusCodes),
    `${codes(driver.byTarget.victim)} | ${codes(driver.byTarget.unknown)}`,
  );
  if (Object.keys(driver.errors).length > 0)
    add(row, 'flood socket errors', '', codes(driver.errors));
  add(row, 'server options', '', JSON.stringify(SERVER_OPTIONS.defaults), 'defaults (no override)');
}

async function scaleRow() {
  const environment = await m2mEnvironment('scale');
  const client = await cliCreateClient(environment, 'bench', 'reports:read');
  const admin = await cliCreateClient(environment, 'bench-admin', 'm2m:admin');
  const bySize = {};
  let seeded = 0;
  let total;
  for (const size of PLAN.scaleSizes) {
    progress(`scale: ${size} clients`);
    // The seeded ids are numbered; the two CLI-created clients complete the count.
    total = seedClients(environment.file, { from: seeded, to: size - 2 });
    seeded = size - 2;
    const server = await startM2m(environment, 'throughput');
    const adminToken = await requestToken(
      `${server.url}/oauth2/token`,
      admin.client_id,
      admin.client_secret,
      'grant_type=client_credentials&scope=m2m:admin',
    );
    const token = await autocannon(
      tokenRequestSpec(server.url, client.client_id, client.client_secret, 16),
    );
    const list = await autocannon({
      url: `${server.url}/m2m/clients?limit=20`,
      headers: { authorization: `Bearer ${adminToken}` },
      connections: 16,
    });
    bySize[size] = { clients: total, token, list };
    await stopChild(server.child);
  }
  results.scale = bySize;
  const [small, large] = PLAN.scaleSizes;
  const a = bySize[small];
  const b = bySize[large];
  const row = `e scale (${small} vs ${large})`;
  add(row, 'clients in the table', a.clients, b.clients);
  add(
    row,
    'token: tokens/s (2xx), 16 conn',
    f1(a.token.okPerSecond),
    f1(b.token.okPerSecond),
    `large/small tokens/s = ${f2(ratio(b.token.okPerSecond, a.token.okPerSecond))}`,
  );
  add(
    row,
    'token: p50 / p99 ms',
    latencyCell(a.token),
    latencyCell(b.token),
    `large/small p99 = ${f2(ratio(b.token.latency.p99, a.token.latency.p99))}`,
  );
  add(
    row,
    'GET /m2m/clients?limit=20: req/s (2xx), 16 conn',
    f0(a.list.okPerSecond),
    f0(b.list.okPerSecond),
    `large/small req/s = ${f2(ratio(b.list.okPerSecond, a.list.okPerSecond))}`,
  );
  add(
    row,
    'list: p50 / p99 ms',
    latencyCell(a.list),
    latencyCell(b.list),
    `large/small p99 = ${f2(ratio(b.list.latency.p99, a.list.latency.p99))}`,
  );
  add(
    row,
    'non-2xx / errors (token, list)',
    `${failures(a.token)}, ${failures(a.list)}`,
    `${failures(b.token)}, ${failures(b.list)}`,
  );
}

async function memoryRow() {
  const environment = await m2mEnvironment('memory');
  const client = await cliCreateClient(environment, 'bench', 'reports:read');
  const server = await startM2m(environment, 'memory');
  await requestToken(`${server.url}/oauth2/token`, client.client_id, client.client_secret);
  const out = { options: SERVER_OPTIONS.memory };

  progress(
    `memory: up to ${PLAN.distinctIds} distinct unknown client ids (cap ${PLAN.distinctIdsSeconds} s)`,
  );
  const beforeIds = await settledMemory(server);
  const ids = await runLoad(
    'flood.mjs',
    {
      url: `${server.url}/oauth2/token`,
      connections: 64,
      victimShare: 0,
      addresses: 200,
      maxRequests: PLAN.distinctIds,
      duration: PLAN.distinctIdsSeconds,
    },
    PLAN.distinctIdsSeconds + 120,
  );
  const afterIds = await settledMemory(server);
  out.distinctIds = { before: beforeIds, after: afterIds, driver: ids };

  progress(`memory: minting up to ${PLAN.tokens} tokens (cap ${PLAN.mintSeconds} s)`);
  const file = join(environment.dir, 'tokens.txt');
  const beforeMint = await settledMemory(server);
  const mint = await runLoad(
    'tokens.mjs',
    {
      mode: 'mint',
      url: `${server.url}/oauth2/token`,
      clientId: client.client_id,
      clientSecret: client.client_secret,
      body: TOKEN_BODY,
      count: PLAN.tokens,
      seconds: PLAN.mintSeconds,
      file,
      connections: 16,
    },
    PLAN.mintSeconds + 120,
  );
  const afterMint = await settledMemory(server);
  progress(`memory: presenting ${mint.minted} tokens to the guard`);
  const present = await runLoad(
    'tokens.mjs',
    { mode: 'present', url: `${server.url}/demo/whoami`, file, connections: 16 },
    600,
  );
  const afterPresent = await settledMemory(server);
  out.tokens = { beforeMint, afterMint, afterPresent, mint, present };
  results.memory = out;
  await stopChild(server.child);

  const row = 'f memory (MB)';
  const idsCapped = ids.requests < PLAN.distinctIds;
  addMemory(row, `A=before  B=after ${ids.requests} distinct unknown ids`, beforeIds, afterIds);
  add(
    row,
    `  (${f1(ids.requestsPerSecond)} req/s${idsCapped ? `; CAPPED at ${PLAN.distinctIdsSeconds} s, not ${PLAN.distinctIds}` : ''})`,
    '',
    codes(ids.statusCodes),
    'status codes',
  );
  addMemory(row, `A=before  B=after minting ${mint.minted} tokens`, beforeMint, afterMint);
  add(
    row,
    `  (${f1(mint.tokensPerSecond)} tokens/s${mint.capped ? `; CAPPED at ${PLAN.mintSeconds} s, not ${PLAN.tokens}` : ''})`,
    '',
    codes(mint.statusCodes),
    'status codes',
  );
  addMemory(
    row,
    `A=before minting  B=after presenting ${present.distinct} tokens`,
    beforeMint,
    afterPresent,
  );
  add(
    row,
    `  (GET /demo/whoami, ${f0(present.requestsPerSecond)} req/s)`,
    '',
    codes(present.statusCodes),
    'status codes',
  );
  add(
    row,
    'server options',
    '',
    JSON.stringify(SERVER_OPTIONS.memory),
    'defenses opened (see SERVER_OPTIONS)',
  );
}

function rssRows() {
  const row = 'd rss (MB)';
  const main = results.rss?.throughputServer;
  if (main) {
    addMemory(
      row,
      'ours, guard/token server  A=after boot  B=after load',
      main.boot,
      main.afterLoad,
      ['boot', 'load'],
    );
  }
  const flood = results.rss?.floodServer;
  if (flood) {
    addMemory(
      row,
      'ours, flood server  A=after boot  B=after flood',
      flood.boot,
      flood.afterFlood,
      ['boot', 'flood'],
    );
  }
  const peer = results.peer?.rss;
  if (peer) {
    addMemory(row, 'oidc-provider peer  A=after boot  B=after load', peer.boot, peer.afterLoad, [
      'boot',
      'load',
    ]);
    if (main) {
      add(
        row,
        'ours/peer VmRSS  A=after boot  B=after load',
        f2(main.boot.rssMb / peer.boot.rssMb),
        f2(main.afterLoad.rssMb / peer.afterLoad.rssMb),
        'ours/peer RSS',
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const started = Date.now();
  try {
    readFileSync(join(ROOT, 'dist/src/bootstrap.js'));
  } catch {
    throw new Error(
      'dist/ is missing: build first (npm run --silent build), or use npm run bench.',
    );
  }
  if (['guard', 'token', 'rss', 'client'].some((row) => only.has(row))) await throughputRows();
  if (only.has('flood') || only.has('rss')) await floodRow();
  if (only.has('scale')) await scaleRow();
  if (only.has('memory')) await memoryRow();
  if (only.has('rss')) rssRows();
  lines.sort((a, b) => a[0].localeCompare(b[0]));

  results.seconds = (Date.now() - started) / 1000;
  const header = [
    `node ${process.version}, ${results.cpus} CPUs, ${results.date}${quick ? ', --quick' : ''}, ${PLAN.duration} s per measurement, ${f0(results.seconds)} s in all`,
    `options: guard/token/scale servers ${JSON.stringify(SERVER_OPTIONS.throughput)}, flood server ${JSON.stringify(SERVER_OPTIONS.defaults)} (defaults), memory server ${JSON.stringify(SERVER_OPTIONS.memory)}; token body "${TOKEN_BODY}"`,
    ...(results.peer?.notices?.length ? [`peer notices: ${results.peer.notices.join(' | ')}`] : []),
  ].join('\n');
  printTable(header);
  const dir = join(BENCH, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), JSON.stringify(results, null, 2) + '\n');
  console.log(`\nRaw results: ${join('bench', 'results', 'latest.json')}`);
}

try {
  await main();
} catch (error) {
  console.error(`\nbench: ${process.env.BENCH_DEBUG ? error.stack : (error.message ?? error)}`);
  process.exitCode = 1;
} finally {
  const stopping = [...children].map((child) => stopChild(child, 3000));
  await Promise.all(stopping);
  releaseAll();
}
