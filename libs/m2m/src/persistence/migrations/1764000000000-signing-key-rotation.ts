import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

const COLUMNS = ['activated_at', 'retired_at', 'expires_at'];

/** Signing-key rotation: next / active / retired keys with their instants. */
export class SigningKeyRotation1764000000000 implements MigrationInterface {
  name = 'SigningKeyRotation1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns(
      'm2m_signing_keys',
      COLUMNS.map((name) => new TableColumn({ name, type: 'bigint', isNullable: true })),
    );
    await queryRunner.query(
      "UPDATE m2m_signing_keys SET activated_at = created_at WHERE status = 'active'",
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumns('m2m_signing_keys', COLUMNS);
  }
}
