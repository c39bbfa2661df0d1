import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { M2M_ENTITIES, M2M_MIGRATIONS } from '#m2m';
import type { DatabaseConfig } from './config.js';

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
    mkdirSync(dirname(path), { recursive: true });
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
  return { ...shared, type: 'postgres', url: database.url, applicationName: 'nestjs-m2m' };
}
