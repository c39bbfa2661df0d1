import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Creates the client registry and the signing-key store. Portable across SQLite and PostgreSQL. */
export class CreateM2mTables1763800000000 implements MigrationInterface {
  name = 'CreateM2mTables1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'm2m_clients',
        columns: [
          { name: 'client_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'client_name', type: 'varchar', length: '200' },
          { name: 'description', type: 'varchar', length: '1000', isNullable: true },
          { name: 'scopes', type: 'text' },
          { name: 'metadata', type: 'text', isNullable: true },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'secret_hash', type: 'varchar', length: '255' },
          { name: 'secret_hint', type: 'varchar', length: '16' },
          { name: 'expires_at', type: 'bigint', isNullable: true },
          { name: 'created_at', type: 'bigint' },
          { name: 'updated_at', type: 'bigint' },
        ],
      }),
    );
    await queryRunner.createIndex(
      'm2m_clients',
      new TableIndex({ name: 'idx_m2m_clients_created', columnNames: ['created_at', 'client_id'] }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'm2m_signing_keys',
        columns: [
          { name: 'kid', type: 'varchar', length: '64', isPrimary: true },
          { name: 'alg', type: 'varchar', length: '16' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'public_jwk', type: 'text' },
          { name: 'private_jwk_encrypted', type: 'text' },
          { name: 'created_at', type: 'bigint' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('m2m_signing_keys');
    await queryRunner.dropIndex('m2m_clients', 'idx_m2m_clients_created');
    await queryRunner.dropTable('m2m_clients');
  }
}
