import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Jest globalSetup: builds the console's files, and says where this run keeps the migrated
 * databases that the e2e suites copy (see database.ts), a folder for the SQLite one and a name
 * for the PostgreSQL one. Every run migrates its own, so that each run still runs the migrations
 * on an empty database of each kind. Test files and workers inherit these variables.
 */
export default function globalSetup(): void {
  // The console's files are built with the package; the servers under test serve them.
  execFileSync(process.execPath, ['libs/m2m/console/build.mjs'], { stdio: 'inherit' });
  process.env['M2M_TEST_TEMPLATE_DIR'] = mkdtempSync(join(tmpdir(), 'm2m-test-templates-'));
  process.env['M2M_TEST_TEMPLATE_DATABASE'] = `m2m_template_${randomBytes(6).toString('hex')}`;
}
