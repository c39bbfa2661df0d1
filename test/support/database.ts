import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { DatabaseConfig } from '../../src/config.js';

/** A throwaway database for one suite: a SQLite file, or a fresh PostgreSQL database. */
export interface TestDatabase {
  config: DatabaseConfig;
  /** The `DATABASE_URL` that selects it. */
  url: string;
  drop(): Promise<void>;
}

/** Which database the e2e suites run on: SQLite unless the e2e-postgres project set it. */
export function testDatabaseKind(): 'sqlite' | 'postgres' {
  return process.env['M2M_TEST_DB'] === 'postgres' ? 'postgres' : 'sqlite';
}

async function createPostgresDatabase(serverUrl: string): Promise<TestDatabase> {
  const name = `m2m_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    config: { type: 'postgres', url: url.toString() },
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Creates an empty database of the kind under test. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (testDatabaseKind() === 'postgres') {
    const serverUrl = process.env['M2M_TEST_POSTGRES_URL'];
    if (!serverUrl)
      throw new Error('M2M_TEST_POSTGRES_URL is required for the e2e-postgres project.');
    return createPostgresDatabase(serverUrl);
  }
  const dir = mkdtempSync(join(tmpdir(), 'm2m-e2e-'));
  const path = join(dir, 'm2m.sqlite');
  return {
    config: { type: 'sqlite', path },
    url: `sqlite:${path}`,
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}
