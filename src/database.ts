import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { M2M_ENTITIES, M2M_MIGRATIONS } from 'nestjs-m2m';
import { ConfigError, type DatabaseConfig } from './config.js';

/**
 * Time limits on PostgreSQL, in milliseconds: a paused or unreachable database makes requests
 * fail within seconds instead of hanging. Token issuance and the admin API run millisecond
 * queries, so these leave ample room. Migrations run on start through the same pool: each of
 * their statements must also finish within `statementMs`.
 */
export const POSTGRES_TIMEOUTS = { connectMs: 3000, statementMs: 4000, queryMs: 5000 } as const;

/**
 * TypeORM options of the example server: the M2M entities and migrations, migrations run on
 * start, never `synchronize`.
 */
export function dataSourceOptions(database: DatabaseConfig): DataSourceOptions {
  const shared = {
    entities: M2M_ENTITIES,
    migrations: M2M_MIGRATIONS,
    migrationsRun: true,
    migrationsTableName: 'm2m_migrations',
    synchronize: false,
    logging: false,
  } as const;
  if (database.type === 'sqlite') {
    const path = resolve(database.path);
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (error) {
      throw new ConfigError(
        `DATABASE_URL: cannot create the folder of the SQLite file ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'}); choose a writable path.`,
      );
    }
    // WAL lets readers go on while a write commits; busy_timeout covers a concurrent CLI.
    return {
      ...shared,
      type: 'better-sqlite3',
      database: path,
      enableWAL: true,
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        db.pragma('busy_timeout = 5000');
      },
    };
  }
  return {
    ...shared,
    type: 'postgres',
    url: database.url,
    applicationName: 'nestjs-m2m',
    // An unreachable server (refused, firewalled, paused) fails the checkout within 3 s rather
    // than the OS's TCP timeout; waiting for a busy pool counts against the same limit.
    connectTimeoutMS: POSTGRES_TIMEOUTS.connectMs,
    extra: {
      // The server cancels a statement that runs too long (a lock wait, a bad plan) and the
      // connection stays usable.
      statement_timeout: POSTGRES_TIMEOUTS.statementMs,
      // The client gives up on a server that does not answer at all (paused, partitioned), which
      // statement_timeout cannot cover. Longer than statement_timeout, so that on a live server
      // the server's cancellation always arrives first.
      query_timeout: POSTGRES_TIMEOUTS.queryMs,
    },
  };
}
