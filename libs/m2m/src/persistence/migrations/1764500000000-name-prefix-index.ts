import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * PostgreSQL: an index that serves `client_name LIKE 'prefix%'` whatever the database's collation
 * (the name filter of the client list). SQLite compares by code point and uses the plain name
 * index for its range.
 */
export class NamePrefixIndex1764500000000 implements MigrationInterface {
  name = 'NamePrefixIndex1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type !== 'postgres') return;
    await queryRunner.query(
      'CREATE INDEX idx_m2m_clients_name_pattern ON m2m_clients (client_name text_pattern_ops)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type !== 'postgres') return;
    await queryRunner.query('DROP INDEX idx_m2m_clients_name_pattern');
  }
}
