// Benchmarks of the hot paths: token verification (verifier and guard over HTTP) and the token
// endpoint. Run with `npm run bench` (builds first). Not part of `npm test`.
//
// Each row runs a fixed number of operations after a warm-up and reports throughput and
// latency percentiles; the "vs" column compares a row with its baseline row.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createApp } from '../dist/src/bootstrap.js';
import {
  AuditLog,
  ClientsService,
  RevocationList,
  TokenVerifier,
} from '../dist/libs/m2m/src/index.js';

const quick = process.argv.includes('--quick');
const scale = quick ? 0.2 : 1;

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Runs `op` `count` times with `concurrency` workers; returns throughput and latencies (µs). */
async function measure(name, op, { count, concurrency = 1, warmup = Math.ceil(count / 10) }) {
  for (let i = 0; i < warmup; i++) await op();
  const latencies = new Float64Array(count);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        await op();
        latencies[i] = (performance.now() - t0) * 1000;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const sorted = Array.from(latencies).sort((a, b) => a - b);
  return {
    name,
    ops: count / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    concurrency,
    count,
  };
}

function table(rows) {
  const header = ['benchmark', 'conc', 'ops/s', 'p50 µs', 'p99 µs', 'vs baseline'];
  const lines = rows.map((r) => [
    r.name,
    String(r.concurrency),
    r.ops.toFixed(0),
    r.p50.toFixed(0),
    r.p99.toFixed(0),
    r.baseline ? `${(r.ops / r.baseline.ops).toFixed(2)}x of "${r.baseline.name}"` : '(baseline)',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells) =>
    cells
      .map((c, i) => (i === 0 || i === 5 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ');
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const line of lines) console.log(fmt(line));
}

async function boot(dir, bcryptCost) {
  const config = {
    port: 0,
    host: '127.0.0.1',
    issuer: 'http://127.0.0.1',
    database: { type: 'sqlite', path: join(dir, `bench-${bcryptCost}.sqlite`) },
    keyEncryptionKey: randomBytes(32).toString('base64'),
    production: false,
  };
  const app = await createApp(config, { logger: false, m2m: { bcryptCost, rateLimit: false } });
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, url };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'm2m-bench-'));
  const rows = [];
  try {
    const { app, url } = await boot(dir, 10);
    const clients = app.get(ClientsService);
    const client = await clients.create({ clientName: 'bench', scopes: ['reports:read'] });
    const basic = `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`;
    const tokenRequest = () =>
      fetch(`${url}/oauth2/token`, {
        method: 'POST',
        headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      }).then(async (r) => {
        if (r.status !== 200) throw new Error(`token: ${r.status}`);
        return (await r.json()).access_token;
      });
    const token = await tokenRequest();
    const verifier = app.get(TokenVerifier);

    const verify = await measure(
      'TokenVerifier.verify (in process)',
      () => verifier.verify(token),
      {
        count: Math.round(20000 * scale),
      },
    );
    rows.push(verify);

    // What the lifecycle features add to the two hot paths, measured alone.
    const revocations = app.get(RevocationList);
    rows.push(
      await measure(
        'RevocationList.isRevoked (guard check)',
        async () => revocations.isRevoked(client.clientId, 0, 'jti'),
        {
          count: Math.round(200000 * scale),
        },
      ),
    );
    const audit = app.get(AuditLog);
    const event = {
      type: 'token.issued',
      clientId: client.clientId,
      ownerId: null,
      actor: { type: 'client', id: client.clientId },
    };
    rows.push(
      await measure(
        'AuditLog.recordLater + countUsage (token endpoint)',
        async () => {
          audit.recordLater(event);
          audit.countUsage(client.clientId, 'current');
        },
        { count: Math.round(200000 * scale) },
      ),
    );
    await audit.flush();

    const get = (path, auth) => () =>
      fetch(`${url}${path}`, auth ? { headers: { authorization: `Bearer ${token}` } } : {}).then(
        (r) => {
          if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
          return r.arrayBuffer();
        },
      );
    for (const concurrency of [1, 16]) {
      const base = await measure(
        'GET metadata (no guard)',
        get('/.well-known/oauth-authorization-server'),
        {
          count: Math.round(4000 * scale),
          concurrency,
        },
      );
      const guarded = await measure(
        'GET /demo/reports (guard + scope)',
        get('/demo/reports', true),
        {
          count: Math.round(4000 * scale),
          concurrency,
        },
      );
      rows.push(base, { ...guarded, baseline: base });
    }

    const cost10 = await measure('POST /oauth2/token (bcrypt cost 10)', tokenRequest, {
      count: Math.round(100 * scale),
      concurrency: 4,
    });
    rows.push(cost10);
    await app.close();

    const low = await boot(dir, 4);
    const lowClient = await low.app
      .get(ClientsService)
      .create({ clientName: 'bench', scopes: ['reports:read'] });
    const lowBasic = `Basic ${Buffer.from(`${lowClient.clientId}:${lowClient.clientSecret}`).toString('base64')}`;
    const lowRequest = () =>
      fetch(`${low.url}/oauth2/token`, {
        method: 'POST',
        headers: { authorization: lowBasic, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      }).then((r) => {
        if (r.status !== 200) throw new Error(`token: ${r.status}`);
        return r.arrayBuffer();
      });
    rows.push({
      ...(await measure('POST /oauth2/token (bcrypt cost 4)', lowRequest, {
        count: Math.round(1000 * scale),
        concurrency: 4,
      })),
      baseline: cost10,
    });
    await low.app.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    `\nnode ${process.version}, ${new Date().toISOString()}${quick ? ', --quick' : ''}\n`,
  );
  table(rows);
}

await main();
