// Inserts synthetic clients straight into the SQLite database of the example server, as
// bench/list-scale.mjs does through TypeORM: the same columns and the same value patterns
// (10% with reports:read, 1 in 7 disabled, 1 in 50 expiring, 500 owners). The tables must
// exist, i.e. the migrations have run (the server or the CLI has used the file once).
import Database from 'better-sqlite3';

const COLUMNS = [
  'client_id',
  'client_name',
  'description',
  'scopes',
  'metadata',
  'status',
  'secret_hash',
  'secret_hint',
  'secret_created_at',
  'expires_at',
  'created_at',
  'updated_at',
  'owner_id',
  'token_version',
  'token_count',
];

/**
 * Adds clients number `from` (inclusive) to `to` (exclusive) to the database file, in one
 * transaction, with the scope index rows that ClientStore keeps; then refreshes the planner's
 * statistics. Seeded clients are older than any real one, so list pages show the real ones first.
 * Returns the number of rows in m2m_clients afterwards.
 */
export function seedClients(file, { from = 0, to }) {
  const db = new Database(file);
  try {
    db.pragma('busy_timeout = 5000');
    const insertClient = db.prepare(
      `INSERT INTO m2m_clients (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`,
    );
    const insertScope = db.prepare(
      'INSERT INTO m2m_client_scopes (client_id, scope, created_at) VALUES (?, ?, ?)',
    );
    const start = Date.now() - 400 * 86_400_000;
    db.transaction(() => {
      for (let i = from; i < to; i++) {
        const id = `m2mc_bench${String(i).padStart(17, '0')}`;
        const created = start + i * 1000;
        const scopes = i % 10 === 0 ? 'reports:read reports:write' : 'orders:read';
        insertClient.run(
          id,
          `client-${String(i % 1000).padStart(3, '0')}-${i}`,
          null,
          scopes,
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
        );
        for (const scope of scopes.split(' ')) insertScope.run(id, scope, created);
      }
    })();
    db.exec('ANALYZE');
    return db.prepare('SELECT COUNT(*) AS n FROM m2m_clients').get().n;
  } finally {
    db.close();
  }
}
