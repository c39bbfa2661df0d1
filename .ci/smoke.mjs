// Smoke test of the built example server, following the README as a new user would:
// start it, create the first admin client with the CLI, create a client through the admin API,
// get tokens from the advertised token endpoint, call the demo API, restart, and check that
// production mode refuses to start without a key-encryption key.
//
//   node .ci/smoke.mjs                      # SQLite in a temporary directory
//   node .ci/smoke.mjs postgres://…/postgres # a fresh database on that PostgreSQL server
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const root = new URL('..', import.meta.url).pathname;
let passed = 0;
let server;
const cleanups = [];

function check(name, condition, detail = '') {
  if (!condition) throw new Error(`FAILED: ${name}${detail ? `\n  ${detail}` : ''}`);
  passed += 1;
  console.log(`ok ${passed} - ${name}`);
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function database(serverUrl) {
  if (!serverUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'm2m-smoke-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return { url: `sqlite:${join(dir, 'm2m.sqlite')}`, kek: undefined };
  }
  const name = `m2m_smoke_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  cleanups.push(async () => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.end();
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), kek: randomBytes(32).toString('base64') };
}

function start(env) {
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.output = '';
  child.stdout.on('data', (d) => (child.output += d));
  child.stderr.on('data', (d) => (child.output += d));
  child.exited = new Promise((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return child;
}

async function waitHealthy(base, child) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${child.output}`);
    try {
      const response = await fetch(`${base}/health`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server not healthy within 30 s:\n${child.output}`);
}

async function stop(child) {
  if (child.exitCode === null) child.kill('SIGTERM');
  const result = await Promise.race([
    child.exited,
    new Promise((r) => setTimeout(() => r('timeout'), 10_000)),
  ]);
  if (result === 'timeout') child.kill('SIGKILL');
  return result;
}

const form = (values) => new URLSearchParams(values).toString();

async function main() {
  const db = await database(process.argv[2]);
  const port = await freePort();
  const base = `http://localhost:${port}`;
  const env = { ...process.env, PORT: String(port), DATABASE_URL: db.url };
  delete env.NODE_ENV;
  delete env.M2M_ISSUER;
  if (db.kek) env.M2M_KEY_ENCRYPTION_KEY = db.kek;
  else delete env.M2M_KEY_ENCRYPTION_KEY;
  console.log(`# database ${db.url.replace(/\/\/[^@]*@/, '//…@')}, server ${base}`);

  server = start(env);
  await waitHealthy(base, server);
  const adapter = process.env.HTTP_ADAPTER || 'express';
  check(
    `the server runs on ${adapter} (HTTP_ADAPTER)`,
    server.output.includes(`(${adapter})`),
    server.output,
  );
  check('server starts and /health is 200', true);

  const cli = spawnSync(
    'npm',
    [
      'run',
      '--silent',
      'm2m',
      '--',
      'clients',
      'create',
      '--name',
      'admin',
      '--scopes',
      'm2m:admin',
      '--json',
    ],
    {
      cwd: root,
      env,
      encoding: 'utf8',
    },
  );
  check('CLI clients create exits 0', cli.status === 0, cli.stderr);
  const lines = cli.stdout.trim().split('\n');
  check(
    'CLI prints exactly one JSON object on stdout',
    lines.length === 1 && lines[0].startsWith('{'),
    cli.stdout,
  );
  const admin = JSON.parse(lines[0]);
  check(
    'CLI output has client_id and client_secret',
    typeof admin.client_id === 'string' && typeof admin.client_secret === 'string',
  );

  const metadata = await (await fetch(`${base}/.well-known/oauth-authorization-server`)).json();
  check(
    'metadata advertises the token endpoint',
    metadata.token_endpoint === `${base}/oauth2/token`,
    JSON.stringify(metadata),
  );
  check(
    'metadata lists client_credentials and the demo scopes',
    metadata.grant_types_supported.join() === 'client_credentials' &&
      metadata.scopes_supported.includes('reports:read'),
  );

  const adminTokenResponse = await fetch(metadata.token_endpoint, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${admin.client_id}:${admin.client_secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: form({ grant_type: 'client_credentials' }),
  });
  const adminToken = await adminTokenResponse.json();
  check(
    'admin token with client_secret_basic',
    adminTokenResponse.status === 200 && adminToken.token_type === 'Bearer',
  );
  check(
    'token response is no-store',
    adminTokenResponse.headers.get('cache-control') === 'no-store',
  );

  const created = await fetch(`${base}/m2m/clients`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${adminToken.access_token}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ client_name: 'reporter', scopes: ['reports:read'] }),
  });
  const reporter = await created.json();
  check(
    'admin API creates a client with reports:read (201, secret once)',
    created.status === 201 && typeof reporter.client_secret === 'string',
  );

  const tokenResponse = await fetch(metadata.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form({
      grant_type: 'client_credentials',
      client_id: reporter.client_id,
      client_secret: reporter.client_secret,
    }),
  });
  const { access_token: token } = await tokenResponse.json();
  check(
    'client token with client_secret_post',
    tokenResponse.status === 200 && typeof token === 'string',
  );

  const read = await fetch(`${base}/demo/reports`, {
    headers: { authorization: `Bearer ${token}` },
  });
  check('GET /demo/reports with reports:read is 200', read.status === 200);
  const write = await fetch(`${base}/demo/reports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });
  check(
    'POST /demo/reports without reports:write is 403 insufficient_scope',
    write.status === 403 &&
      (write.headers.get('www-authenticate') ?? '').includes('error="insufficient_scope"'),
  );

  const docs = await fetch(`${base}/docs-json`);
  check(
    'GET /docs-json is an OpenAPI document',
    docs.status === 200 && typeof (await docs.json()).openapi === 'string',
  );
  check('GET /docs is 200', (await fetch(`${base}/docs`)).status === 200);
  const consolePage = await fetch(`${base}/m2m/console`);
  const consoleScript = await fetch(`${base}/m2m/console/assets/m2m-console.js`);
  check(
    'GET /m2m/console is the console page, and its script is the built bundle',
    consolePage.status === 200 &&
      (await consolePage.text()).includes('<m2m-console api-base="/">') &&
      consoleScript.status === 200 &&
      (await consoleScript.text()).includes('customElements'),
  );

  const stopped = await stop(server);
  check('server stops on SIGTERM', stopped !== 'timeout');
  server = start(env);
  await waitHealthy(base, server);
  const again = await fetch(`${base}/demo/reports`, {
    headers: { authorization: `Bearer ${token}` },
  });
  check('a token issued before a restart still verifies after it', again.status === 200);
  await stop(server);
  server = undefined;

  // Start-up failures: one line naming the variable, exit code 1, no stack trace.
  const refusals = [
    [
      'production refuses to start without M2M_KEY_ENCRYPTION_KEY',
      { M2M_KEY_ENCRYPTION_KEY: undefined, NODE_ENV: 'production' },
      'Cannot start: M2M_KEY_ENCRYPTION_KEY is required when NODE_ENV=production',
    ],
    [
      'production refuses to start without an https M2M_ISSUER',
      { M2M_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'), NODE_ENV: 'production' },
      'Cannot start: M2M_ISSUER is required when NODE_ENV=production',
    ],
    [
      'a short M2M_KEY_ENCRYPTION_KEY is refused in one line',
      { M2M_KEY_ENCRYPTION_KEY: 'c2hvcnQ=' },
      'Cannot start: M2M_KEY_ENCRYPTION_KEY must be 32 random bytes',
    ],
  ];
  for (const [name, overrides, expected] of refusals) {
    const refusedEnv = { ...env, PORT: String(await freePort()), ...overrides };
    for (const [key, value] of Object.entries(overrides)) {
      if (value === undefined) delete refusedEnv[key];
    }
    const refused = start(refusedEnv);
    const result = await Promise.race([
      refused.exited,
      new Promise((r) => setTimeout(() => r('timeout'), 15_000)),
    ]);
    if (result === 'timeout') refused.kill('SIGKILL');
    const lines = refused.output.trim().split('\n');
    check(
      name,
      result !== 'timeout' &&
        result.code === 1 &&
        lines.length === 1 &&
        lines[0].startsWith(expected) &&
        !/^\s+at /m.test(refused.output),
      refused.output,
    );
  }
}

let failed = 0;
try {
  await main();
} catch (error) {
  failed = 1;
  console.error(error instanceof Error ? error.message : error);
  if (server) console.error(`--- server output ---\n${server.output}`);
} finally {
  if (server) await stop(server);
  for (const cleanup of cleanups) await cleanup();
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed;
