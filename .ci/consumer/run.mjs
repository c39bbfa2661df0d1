// The consumer test: proof that a user can install the packages (nestjs-m2m and
// nestjs-m2m-client).
// 1. `npm pack` the library, check what the tarball holds.
// 2. Install the tarball into a fresh host app outside the repository, with its own @nestjs
//    packages (an older 12.x than the repository's, so that a second copy would show).
// 3. Compile the host with strict TypeScript against the shipped types.
// 4. Create a client with the package's CLI (`npx nestjs-m2m`), start the host on Express and on
//    Fastify, get a token, call a guarded route (200) and call it without a token (401 Bearer).
// Needs PostgreSQL: M2M_TEST_POSTGRES_URL (CI starts one; see .ci/services.sh).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
/** The host's own Nest: an older 12.x than the repository's. */
const HOST_NEST = '12.4.2';

let passed = 0;
function check(name, ok, detail = '') {
  if (!ok) throw new Error(`not ok - ${name}${detail ? `\n${detail}` : ''}`);
  passed += 1;
  console.log(`ok ${passed} - ${name}`);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.status !== 0 && !options.allowFailure) {
    throw new Error(
      `${command} ${args.join(' ')} exited with ${result.status}\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result;
}

async function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

function startHost(dir, env) {
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.output = '';
  child.stdout.on('data', (d) => (child.output += d));
  child.stderr.on('data', (d) => (child.output += d));
  child.exited = new Promise((r) => child.on('exit', (code) => r(code)));
  return child;
}

async function waitReady(base, child) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`host exited early:\n${child.output}`);
    try {
      const response = await fetch(`${base}/.well-known/oauth-authorization-server`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`host did not start:\n${child.output}`);
}

async function main() {
  const serverUrl = process.env.M2M_TEST_POSTGRES_URL;
  if (!serverUrl) throw new Error('M2M_TEST_POSTGRES_URL is required (a PostgreSQL server).');
  const work = mkdtempSync(join(tmpdir(), 'm2m-consumer-'));
  const database = `m2m_consumer_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const databaseUrl = Object.assign(new URL(serverUrl), { pathname: `/${database}` }).toString();
  try {
    // 1. The tarballs.
    const pack = (workspace) =>
      JSON.parse(
        run('npm', ['pack', '--workspace', workspace, '--pack-destination', work, '--json'], {
          cwd: root,
        }).stdout,
      )[0];
    const packed = pack('nestjs-m2m');
    const files = packed.files.map((f) => f.path);
    check(
      'the tarball holds the built package only: dist (JavaScript, declarations, the console), package.json, README',
      files.includes('package.json') &&
        files.includes('dist/index.js') &&
        files.includes('dist/index.d.ts') &&
        files.includes('dist/cli/bin.js') &&
        files.includes('dist/console-assets/m2m-console.js') &&
        files.includes('dist/console-assets/m2m-console.css') &&
        files.every((f) =>
          /^(package\.json|README\.md|LICENSE|dist\/.+\.(js|d\.ts|js\.map)|dist\/console-assets\/m2m-console\.css)$/.test(
            f,
          ),
        ) &&
        !files.some((f) => /\.spec\.|__fixtures__|tsbuildinfo/.test(f)),
      files.join('\n'),
    );
    const packedClient = pack('nestjs-m2m-client');
    const clientFiles = packedClient.files.map((f) => f.path);
    check(
      'the nestjs-m2m-client tarball holds dist (both entry points), package.json and README only',
      clientFiles.includes('dist/index.js') &&
        clientFiles.includes('dist/nest/index.d.ts') &&
        clientFiles.includes('README.md') &&
        clientFiles.every((f) =>
          /^(package\.json|README\.md|LICENSE|dist\/.+\.(js|d\.ts|js\.map))$/.test(f),
        ) &&
        !clientFiles.some((f) => /\.spec\.|__fixtures__|tsbuildinfo/.test(f)),
      clientFiles.join('\n'),
    );

    // 2. The host app, outside the repository, with its own Nest.
    const host = join(work, 'host');
    cpSync(join(here, 'host'), host, { recursive: true });
    writeFileSync(
      join(host, 'package.json'),
      JSON.stringify(
        {
          name: 'm2m-consumer-host',
          private: true,
          type: 'module',
          dependencies: {
            '@nestjs/common': HOST_NEST,
            '@nestjs/core': HOST_NEST,
            '@nestjs/platform-express': HOST_NEST,
            '@nestjs/platform-fastify': '12.5.0',
            '@nestjs/swagger': '12.0.2',
            '@nestjs/typeorm': '12.0.2',
            'class-transformer': '0.5.1',
            'class-validator': '0.15.1',
            'nestjs-m2m': `file:../${packed.filename}`,
            'nestjs-m2m-client': `file:../${packedClient.filename}`,
            pg: '8.23.1',
            'reflect-metadata': '0.2.2',
            rxjs: '7.8.2',
            typeorm: '1.1.1',
          },
          devDependencies: { '@types/node': '^20.19.0', typescript: '6.0.3' },
          allowScripts: { bcrypt: true, '@scarf/scarf': false },
        },
        null,
        2,
      ),
    );
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: host });
    const copies = run('npm', ['ls', '@nestjs/core', '--all', '--parseable'], { cwd: host })
      .stdout.trim()
      .split('\n')
      .filter(Boolean);
    const core = JSON.parse(
      readFileSync(join(host, 'node_modules/@nestjs/core/package.json'), 'utf8'),
    );
    check(
      `one @nestjs/core in the host, its own ${HOST_NEST} (the package brings no copy of Nest)`,
      copies.length === 1 &&
        core.version === HOST_NEST &&
        !existsSync(join(host, 'node_modules/nestjs-m2m/node_modules/@nestjs/core')) &&
        !existsSync(join(host, 'node_modules/nestjs-m2m/node_modules/typeorm')),
      copies.join('\n'),
    );

    // 3. Strict TypeScript against the shipped declarations.
    const compiled = run('npx', ['tsc', '-p', '.'], { cwd: host, allowFailure: true });
    check(
      'the host compiles with strict TypeScript against the shipped types',
      compiled.status === 0,
      `${compiled.stdout}${compiled.stderr}`,
    );

    // 4. The package's CLI, then the host on both platforms.
    const kek = randomBytes(32).toString('base64');
    const env = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      M2M_KEY_ENCRYPTION_KEY: kek,
      NODE_ENV: 'development',
    };
    const unknown = run('npx', ['nestjs-m2m', 'frobnicate'], {
      cwd: host,
      env,
      allowFailure: true,
    });
    check(
      'npx nestjs-m2m with an unknown command: one line, exit 2',
      unknown.status === 2 && unknown.stderr.trim() === 'unknown command "frobnicate"',
      `${unknown.status} ${unknown.stderr}`,
    );
    const started = Date.now();
    const created = run(
      'npx',
      [
        'nestjs-m2m',
        'clients',
        'create',
        '--name',
        'consumer',
        '--scopes',
        'orders:read',
        '--json',
      ],
      { cwd: host, env },
    );
    const client = JSON.parse(created.stdout);
    check(
      `npx nestjs-m2m clients create --json prints the client and its secret once (${Date.now() - started} ms)`,
      created.stdout.trim().split('\n').length === 1 &&
        /^m2mc_/.test(client.client_id) &&
        /^m2ms_/.test(client.client_secret),
      created.stdout,
    );

    for (const adapter of ['express', 'fastify']) {
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const child = startHost(host, {
        ...env,
        PORT: String(port),
        HTTP_ADAPTER: adapter,
        M2M_ISSUER: base,
      });
      try {
        await waitReady(base, child);
        check(`the host starts on ${adapter}`, child.output.includes(`(${adapter})`), child.output);
        const tokenResponse = await fetch(`${base}/oauth2/token`, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            authorization: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`,
          },
          body: 'grant_type=client_credentials',
        });
        const token = await tokenResponse.json();
        check(
          `${adapter}: the CLI-created client gets a token`,
          tokenResponse.status === 200 &&
            token.token_type === 'Bearer' &&
            token.scope === 'orders:read',
          JSON.stringify(token),
        );
        const guarded = await fetch(`${base}/orders`, {
          headers: { authorization: `Bearer ${token.access_token}` },
        });
        const body = await guarded.json();
        check(
          `${adapter}: the guarded route answers 200 with the calling client`,
          guarded.status === 200 && body.client_id === client.client_id,
          JSON.stringify(body),
        );
        const anonymous = await fetch(`${base}/orders`);
        check(
          `${adapter}: without a token, 401 with a Bearer challenge`,
          anonymous.status === 401 &&
            /^Bearer realm="[^"]+"$/.test(anonymous.headers.get('www-authenticate') ?? ''),
          `${anonymous.status} ${anonymous.headers.get('www-authenticate')}`,
        );
        const malformed = await fetch(`${base}/oauth2/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"grant_type":',
        });
        check(
          `${adapter}: a malformed body at the token endpoint gets RFC 6749 invalid_request`,
          malformed.status === 400 && (await malformed.json()).error === 'invalid_request',
        );
        const page = await fetch(`${base}/m2m/console`);
        const pageHtml = await page.text();
        const script = await fetch(`${base}/m2m/console/assets/m2m-console.js`);
        check(
          `${adapter}: the console is served from the package, under its CSP`,
          page.status === 200 &&
            (page.headers.get('content-security-policy') ?? '').startsWith("default-src 'none'") &&
            pageHtml.includes('src="/m2m/console/assets/m2m-console.js"') &&
            script.status === 200 &&
            (await script.text()).includes('m2m-client-manager'),
          `${page.status} ${script.status}`,
        );
        const caller = run(process.execPath, ['dist/caller.js'], {
          cwd: host,
          env: {
            ...env,
            M2M_ISSUER: base,
            CLIENT_ID: client.client_id,
            CLIENT_SECRET: client.client_secret,
          },
          allowFailure: true,
        });
        const called = caller.status === 0 ? JSON.parse(caller.stdout) : null;
        check(
          `${adapter}: nestjs-m2m-client discovers the token endpoint and calls the guarded route twice`,
          called !== null &&
            called.statuses.join() === '200,200' &&
            called.body.client_id === client.client_id,
          `${caller.status} ${caller.stdout}${caller.stderr}`,
        );
      } finally {
        child.kill('SIGTERM');
        await child.exited;
      }
    }
  } finally {
    const cleanup = new pg.Client({ connectionString: serverUrl });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await cleanup.end();
    rmSync(work, { recursive: true, force: true });
  }
}

try {
  await main();
  console.log(`${passed} passed, 0 failed`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  console.log(`${passed} passed, 1 failed`);
  process.exitCode = 1;
}
