import { Table, TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/** private_key_jwt client authentication (RFC 7523): client keys and single-use assertions. */
export class PrivateKeyJwt1764200000000 implements MigrationInterface {
  name = 'PrivateKeyJwt1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('m2m_clients', [
      new TableColumn({
        name: 'auth_method',
        type: 'varchar',
        length: '32',
        default: "'client_secret'",
      }),
      new TableColumn({ name: 'jwks', type: 'text', isNullable: true }),
      new TableColumn({ name: 'jwks_uri', type: 'varchar', length: '2000', isNullable: true }),
    ]);
    await queryRunner.createTable(
      new Table({
        name: 'm2m_assertion_jtis',
        columns: [
          { name: 'client_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'jti', type: 'varchar', length: '255', isPrimary: true },
          { name: 'expires_at', type: 'bigint' },
        ],
        indices: [{ name: 'idx_m2m_assertion_jtis_expires', columnNames: ['expires_at'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('m2m_assertion_jtis');
    await queryRunner.dropColumns('m2m_clients', ['auth_method', 'jwks', 'jwks_uri']);
  }
}
