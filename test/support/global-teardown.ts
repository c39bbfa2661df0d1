import { rmSync } from 'node:fs';
import pg from 'pg';

/** Jest globalTeardown: removes this run's template databases (see global-setup.ts). */
export default async function globalTeardown(): Promise<void> {
  const dir = process.env['M2M_TEST_TEMPLATE_DIR'];
  const template = process.env['M2M_TEST_TEMPLATE_DATABASE'];
  const serverUrl = process.env['M2M_TEST_POSTGRES_URL'];
  if (dir) rmSync(dir, { recursive: true, force: true });
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
