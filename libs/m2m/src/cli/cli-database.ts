import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { M2M_ENTITIES, M2M_MIGRATIONS } from '../persistence/m2m-persistence.js';
import { M2mCliError } from './cli-error.js';

/**
 * TypeORM options for `DATABASE_URL`: `sqlite:<path>` (better-sqlite3) or `postgres://…`, with
 * the module's entities and migrations, which run at start.
 */
export function dataSourceFromUrl(url: string | undefined): DataSourceOptions {
  const shared = {
    entities: M2M_ENTITIES,
    migrations: M2M_MIGRATIONS,
    migrationsRun: true,
    migrationsTableName: 'm2m_migrations',
    synchronize: false,
    logging: false,
  } as const;
  if (url === undefined || url === '') {
    throw new M2mCliError(
      'DATABASE_URL is required: sqlite:<path> or postgres://user:password@host:5432/db.',
      1,
    );
  }
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path === '') throw new M2mCliError('DATABASE_URL sqlite:<path> needs a file path.', 1);
    try {
      mkdirSync(dirname(resolve(path)), { recursive: true });
    } catch (error) {
      throw new M2mCliError(
        `DATABASE_URL: cannot create the folder of the SQLite file ${resolve(path)} (${(error as NodeJS.ErrnoException).code ?? 'error'}); choose a writable path.`,
        1,
      );
    }
    return {
      ...shared,
      type: 'better-sqlite3',
      database: resolve(path),
      enableWAL: true,
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        db.pragma('busy_timeout = 5000');
      },
    };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    return { ...shared, type: 'postgres', url, connectTimeoutMS: 5000 };
  }
  throw new M2mCliError(
    'DATABASE_URL must be sqlite:<path> or postgres://user:password@host:5432/db.',
    1,
  );
}

/** The host's options with the module's entities and migrations added, once. */
export function withModuleTables(options: DataSourceOptions): DataSourceOptions {
  const add = <T>(given: unknown, ours: readonly T[]): T[] => {
    const list = Array.isArray(given) ? (given as T[]) : [];
    return [...list, ...ours.filter((item) => !list.includes(item))];
  };
  return {
    ...options,
    entities: add(options.entities, M2M_ENTITIES),
    migrations: add(options.migrations, M2M_MIGRATIONS),
  } as DataSourceOptions;
}
