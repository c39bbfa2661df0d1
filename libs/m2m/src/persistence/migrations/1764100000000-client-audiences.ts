import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Resource indicators (RFC 8707): the audiences a client may request tokens for. */
export class ClientAudiences1764100000000 implements MigrationInterface {
  name = 'ClientAudiences1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'm2m_clients',
      new TableColumn({ name: 'audiences', type: 'text', isNullable: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('m2m_clients', 'audiences');
  }
}
