// How list pages scale with the size of the registry: the same queries at 100 and at 100,000
// clients. Run with `npm run bench:list` (builds first). SQLite by default; set
// BENCH_DATABASE_URL=postgres://… to run it on PostgreSQL (it creates and drops a database).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { ClientsService } from 'nestjs-m2m';
import { createApp } from '../dist/src/bootstrap.js';

const SIZES = [100, 100_000];
const RUNS = 200;

async function database(size) {
  const serverUrl = process.env.BENCH_DATABASE_URL;
  if (!serverUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'm2m-list-'));
    return {
      config: { type: 'sqlite', path: join(dir, `${size}.sqlite`) },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `m2m_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    config: { type: 'postgres', url: url.toString() },
    drop: async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Inserts `size` clients straight into the table, in batches, inside one transaction. */
async function seed(dataSource, size) {
  const start = Date.now() - size * 1000;
  await dataSource.transaction(async (manager) => {
    const columns =
      'client_id, client_name, description, scopes, metadata, status, secret_hash, secret_hint, secret_created_at, expires_at, created_at, updated_at, owner_id, token_version, token_count';
    for (let offset = 0; offset < size; offset += 500) {
      const rows = [];
      const params = [];
      for (let i = offset; i < Math.min(size, offset + 500); i++) {
        const created = start + i * 1000;
        const values = [
          `m2mc_bench${String(i).padStart(17, '0')}`,
          `client-${String(i % 1000).padStart(3, '0')}-${i}`,
          null,
          i % 10 === 0 ? 'reports:read reports:write' : 'orders:read',
          null,
          i % 7 === 0 ? 'disabled' : 'active',
          '$2b$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234',
          'abcd',
          created,
          i % 50 === 0 ? Date.now() + (i % 30) * 86_400_000 : null,
          created,
          created,
          `org_${i % 500}`,
          0,
          0,
        ];
        const base = params.length;
        params.push(...values);
        const marks = values.map((_, k) =>
          dataSource.options.type === 'postgres' ? `$${base + k + 1}` : '?',
        );
        rows.push(`(${marks.join(', ')})`);
      }
      await manager.query(`INSERT INTO m2m_clients (${columns}) VALUES ${rows.join(', ')}`, params);
      // The scope index, as ClientStore keeps it.
      const scopeRows = [];
      const scopeParams = [];
      for (let r = 0; r < rows.length; r++) {
        const [id, , , scopes, , , , , , , created] = params.slice(r * 15, r * 15 + 15);
        for (const scope of scopes.split(' ')) {
          const base = scopeParams.length;
          scopeParams.push(id, scope, created);
          scopeRows.push(
            dataSource.options.type === 'postgres'
              ? `($${base + 1}, $${base + 2}, $${base + 3})`
              : '(?, ?, ?)',
          );
        }
      }
      await manager.query(
        `INSERT INTO m2m_client_scopes (client_id, scope, created_at) VALUES ${scopeRows.join(', ')}`,
        scopeParams,
      );
    }
  });
}

async function time(run) {
  for (let i = 0; i < 20; i++) await run();
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await run();
    samples.push((performance.now() - t0) * 1000);
  }
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(RUNS / 2)], p99: samples[Math.floor(RUNS * 0.99)] };
}

async function measure(size) {
  const db = await database(size);
  const app = await createApp(
    {
      port: 0,
      host: '127.0.0.1',
      issuer: 'http://127.0.0.1',
      database: db.config,
      keyEncryptionKey: randomBytes(32).toString('base64'),
      production: false,
    },
    { logger: false, m2m: { bcryptCost: 4, rateLimit: false } },
  );
  try {
    await seed(app.get(DataSource), size);
    // Fresh statistics, as autovacuum would gather them on a live database.
    await app.get(DataSource).query('ANALYZE');
    const clients = app.get(ClientsService);
    const middle = (await clients.list({ limit: 100 })).data;
    let cursor;
    // A cursor half-way through the registry.
    for (
      let page = await clients.list({ limit: 100 }), n = 1;
      page.nextCursor && n < size / 200;
      n++
    ) {
      cursor = page.nextCursor;
      page = await clients.list({ limit: 100, cursor });
    }
    const queries = {
      'first page (20)': () => clients.list(),
      'page 100 deep in (cursor)': () =>
        clients.list({ limit: 100, ...(cursor ? { cursor } : {}) }),
      'status=active': () => clients.list({ status: 'active' }),
      'owner_id=org_7': () => clients.list({ ownerId: 'org_7' }),
      'name_prefix=client-042': () => clients.list({ namePrefix: 'client-042' }),
      'expiring within 7 days': () =>
        clients.list({ expiresBefore: new Date(Date.now() + 7 * 86_400_000) }),
      'scope=reports:write': () => clients.list({ scope: 'reports:write' }),
    };
    const results = {};
    for (const [name, run] of Object.entries(queries)) results[name] = await time(run);
    void middle;
    return results;
  } finally {
    await app.close();
    await db.drop();
  }
}

const bySize = {};
for (const size of SIZES) bySize[size] = await measure(size);
const names = Object.keys(bySize[SIZES[0]]);
const header = ['query', ...SIZES.flatMap((s) => [`p50 µs @${s}`, `p99 µs @${s}`]), 'p50 ratio'];
const lines = names.map((name) => [
  name,
  ...SIZES.flatMap((s) => [bySize[s][name].p50.toFixed(0), bySize[s][name].p99.toFixed(0)]),
  `${(bySize[SIZES[1]][name].p50 / bySize[SIZES[0]][name].p50).toFixed(2)}x`,
]);
const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
const fmt = (cells) =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(
  `\nnode ${process.version}, ${process.env.BENCH_DATABASE_URL ? 'PostgreSQL' : 'SQLite'}, ${RUNS} runs per query\n`,
);
console.log(fmt(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const line of lines) console.log(fmt(line));
