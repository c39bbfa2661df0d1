import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Dynamic client registration (RFC 7591 / 7592): the hash of each registration access token. */
export class ClientRegistration1764300000000 implements MigrationInterface {
  name = 'ClientRegistration1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'm2m_clients',
      new TableColumn({
        name: 'registration_token_hash',
        type: 'varchar',
        length: '64',
        isNullable: true,
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('m2m_clients', 'registration_token_hash');
  }
}
