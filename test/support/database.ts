import { copyFileSync, existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { DataSource } from 'typeorm';
import type { DatabaseConfig } from '../../src/config.js';
import { dataSourceOptions } from '../../src/database.js';

/** A throwaway database for one suite: a SQLite file, or a fresh PostgreSQL database. */
export interface TestDatabase {
  config: DatabaseConfig;
  /** The `DATABASE_URL` that selects it. */
  url: string;
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /**
   * An empty database, on which the server or the CLI runs the migrations itself. By default it
   * is a copy of a database this test run migrated once (see global-setup.ts), which spares each
   * suite the migrations.
   */
  empty?: boolean;
}

/** Which database the e2e suites run on: SQLite unless the e2e-postgres project set it. */
export function testDatabaseKind(): 'sqlite' | 'postgres' {
  return process.env['M2M_TEST_DB'] === 'postgres' ? 'postgres' : 'sqlite';
}

/** Runs the module's migrations on a database exactly as the server does on start. */
async function migrate(config: DatabaseConfig): Promise<void> {
  const dataSource = new DataSource(dataSourceOptions(config));
  await dataSource.initialize();
  await dataSource.destroy();
}

/** A migrated SQLite file to copy, made by the first suite of the run that needs one. */
async function sqliteTemplate(dir: string): Promise<string> {
  const template = join(dir, 'migrated.sqlite');
  if (!existsSync(template)) {
    // Built under a name of its own and renamed, so that a concurrent suite never copies a file
    // that is still being migrated.
    const building = join(dir, `migrating-${randomBytes(6).toString('hex')}.sqlite`);
    await migrate({ type: 'sqlite', path: building });
    renameSync(building, template);
  }
  return template;
}

async function createSqliteDatabase(options: TestDatabaseOptions): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'm2m-e2e-'));
  const path = join(dir, 'm2m.sqlite');
  const templates = process.env['M2M_TEST_TEMPLATE_DIR'];
  if (!options.empty && templates) copyFileSync(await sqliteTemplate(templates), path);
  return {
    config: { type: 'sqlite', path },
    url: `sqlite:${path}`,
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withServer<T>(serverUrl: string, run: (client: pg.Client) => Promise<T>) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** The file, in the run's template folder, that names the PostgreSQL template once made. */
const POSTGRES_TEMPLATE_MARK = 'postgres-template';

/** Creates this run's migrated template database once; an advisory lock orders concurrent suites. */
async function ensurePostgresTemplate(serverUrl: string, template: string): Promise<void> {
  await withServer(serverUrl, async (client) => {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [template]);
    try {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
      if (found.rowCount === 0) {
        await client.query(`CREATE DATABASE ${template}`);
        // Tells global-teardown.ts that there is a template database to drop.
        const dir = process.env['M2M_TEST_TEMPLATE_DIR'];
        if (dir) writeFileSync(join(dir, POSTGRES_TEMPLATE_MARK), template);
        await migrate({ type: 'postgres', url: databaseUrl(serverUrl, template) });
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [template]);
    }
  });
}

async function createPostgresDatabase(
  serverUrl: string,
  options: TestDatabaseOptions,
): Promise<TestDatabase> {
  const name = `m2m_test_${randomBytes(6).toString('hex')}`;
  const template = options.empty ? undefined : process.env['M2M_TEST_TEMPLATE_DATABASE'];
  if (template) await ensurePostgresTemplate(serverUrl, template);
  await withServer(serverUrl, (client) =>
    client.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`),
  );
  const url = databaseUrl(serverUrl, name);
  return {
    config: { type: 'postgres', url },
    url,
    drop: () =>
      withServer(serverUrl, async (client) => {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }),
  };
}

/**
 * Creates a database of the kind under test, with the module's tables (a copy of a migrated
 * template), or empty with `{ empty: true }`.
 */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  if (testDatabaseKind() === 'postgres') {
    const serverUrl = process.env['M2M_TEST_POSTGRES_URL'];
    if (!serverUrl)
      throw new Error('M2M_TEST_POSTGRES_URL is required for the e2e-postgres project.');
    return createPostgresDatabase(serverUrl, options);
  }
  return createSqliteDatabase(options);
}
