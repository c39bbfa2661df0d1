import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

/**
 * Jest globalTeardown: removes this run's template databases (see global-setup.ts). The
 * PostgreSQL one exists only if a suite made it, and then its name is in the folder.
 */
export default async function globalTeardown(): Promise<void> {
  const dir = process.env['M2M_TEST_TEMPLATE_DIR'];
  const serverUrl = process.env['M2M_TEST_POSTGRES_URL'];
  if (!dir) return;
  // The name database.ts gives its POSTGRES_TEMPLATE_MARK file.
  const mark = join(dir, 'postgres-template');
  const template = existsSync(mark) ? readFileSync(mark, 'utf8') : undefined;
  rmSync(dir, { recursive: true, force: true });
  if (template && serverUrl) {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    } finally {
      await client.end();
    }
  }
}
