import { DataSource } from 'typeorm';
import { databaseFromEnv } from './src/config.js';
import { dataSourceOptions } from './src/database.js';

/**
 * The DataSource of the TypeORM CLI, configured from `DATABASE_URL` like the server:
 * `npm run typeorm -- migration:show`, `migration:run`, `migration:revert`.
 */
export default new DataSource(dataSourceOptions(databaseFromEnv()));
